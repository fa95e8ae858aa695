/**
 * The one decision function: may this actor do this action to this target?
 * Pure and synchronous, so it is cheap to call for every request and easy to test
 * exhaustively; the grants themselves are data in permissions.ts.
 */
import { PERMISSIONS, type Action, type Grant, type OrganisationType, type Role, type SchemeRole } from './permissions.ts';

/** A role as the person holds it, with what the scopes need to know about its organisation. */
export interface HeldRole {
  role: Role;
  organisationId: string;
  organisationType: OrganisationType;
  forceId: string | null;
  neighbourhoodId: string | null;
}

/** A role in a Neighbourhood Watch scheme. */
export interface HeldSchemeRole {
  role: SchemeRole;
  schemeId: string;
}

/** Who is asking: loaded from the store on every request, so a revoked role stops at once (ASVS 8.3.2). */
export interface Actor {
  personId: string;
  email: string;
  displayName: string;
  roles: readonly HeldRole[];
  schemeRoles: readonly HeldSchemeRole[];
}

/** What the action is done to. Routes fill in what they know; a missing field never matches. */
export interface Target {
  personId?: string;
  organisationId?: string;
  forceId?: string;
  neighbourhoodId?: string;
  schemeId?: string;
}

/**
 * A list or search page acts "somewhere": it is allowed when any grant applies,
 * and the page must then narrow what it shows with `scopesFor`.
 */
export const SOMEWHERE = 'somewhere' as const;
export type TargetOrSomewhere = Target | typeof SOMEWHERE;

function roleInScope(held: HeldRole, grant: Grant, target: Target): boolean {
  switch (grant.scope) {
    case 'any':
      return true;
    case 'self':
      return false; // judged on the actor, not a role
    case 'own_organisation':
      return target.organisationId !== undefined && target.organisationId === held.organisationId;
    case 'own_force':
      return held.forceId !== null && target.forceId === held.forceId;
    case 'own_scheme':
      return false; // judged on scheme roles, not organisation roles
    case 'own_neighbourhood':
      return (
        held.forceId !== null &&
        held.neighbourhoodId !== null &&
        target.forceId === held.forceId &&
        target.neighbourhoodId === held.neighbourhoodId
      );
  }
}

function grantApplies(actor: Actor | null, grant: Grant, target: TargetOrSomewhere): boolean {
  if (grant.to === 'everyone') return true;
  if (actor === null) return false;
  if (grant.to === 'signed_in') {
    if (grant.scope === 'any' || target === SOMEWHERE) return true;
    return grant.scope === 'self' && target.personId === actor.personId;
  }
  if (isSchemeRole(grant.to)) {
    return actor.schemeRoles.some(
      (held) => held.role === grant.to && (target === SOMEWHERE || (grant.scope === 'own_scheme' && target.schemeId === held.schemeId)),
    );
  }
  return actor.roles.some((held) => held.role === grant.to && (target === SOMEWHERE || roleInScope(held, grant, target)));
}

function isSchemeRole(grantee: string): grantee is SchemeRole {
  return grantee.startsWith('scheme_');
}

/** @example isAllowed(actor, 'neighbourhood.edit', { forceId: 'demo', neighbourhoodId: 'DM01' }) */
export function isAllowed(actor: Actor | null, action: Action, target: TargetOrSomewhere): boolean {
  const grants: readonly Grant[] = PERMISSIONS[action];
  return grants.some((grant) => grantApplies(actor, grant, target));
}

/**
 * The grants the actor holds for an action, each with the organisation it comes
 * from: list pages turn these into filters (an auditor sees their organisation's
 * entries; a platform administrator sees all).
 */
export function scopesFor(actor: Actor | null, action: Action): { scope: Grant['scope']; held: HeldRole | null }[] {
  const grants: readonly Grant[] = PERMISSIONS[action];
  const found: { scope: Grant['scope']; held: HeldRole | null }[] = [];
  for (const grant of grants) {
    if (grant.to === 'everyone' || (grant.to === 'signed_in' && actor !== null)) {
      found.push({ scope: grant.scope, held: null });
      continue;
    }
    if (isSchemeRole(grant.to)) continue; // list pages of a coordinator's schemes filter by actor.schemeRoles
    for (const held of actor?.roles ?? []) if (held.role === grant.to) found.push({ scope: grant.scope, held });
  }
  return found;
}

/** True when the actor may act anywhere (a grant with scope 'any'). */
export function allowedEverywhere(actor: Actor | null, action: Action): boolean {
  return scopesFor(actor, action).some((s) => s.scope === 'any');
}
