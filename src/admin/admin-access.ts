/**
 * What the administration routes hand to access control, and the checks that go
 * beyond one route's declaration.
 *
 * Target resolvers: `organisationTarget` takes the organisation from the URL.
 * `memberTarget` also names the person, and answers 404 when they are not a member
 * of that organisation: but only to someone who may act in it, so that nobody can
 * use the difference between 403 and 404 to learn who belongs to an organisation
 * they do not administer.
 */
import type { FastifyRequest } from 'fastify';
import type { Action } from '../access/permissions.ts';
import { refuse, type TargetResolver } from '../access/access.ts';
import { isAllowed, scopesFor, type Actor, type Target } from '../access/policy.ts';
import { AppError } from '../errors.ts';
import { rolesIn } from './admin.repository.ts';
import { routeParam } from '../site/request-values.ts';

export interface OrgParams {
  org: string;
}
export interface PersonParams extends OrgParams {
  person: string;
}

export const organisationTarget: TargetResolver = (request) => ({ organisationId: routeParam(request, 'org') });

export function memberTarget(action: Action): TargetResolver {
  return async (request) => {
    const org = routeParam(request, 'org');
    const person = routeParam(request, 'person');
    const organisationTarget: Target = { organisationId: org };
    if ((await rolesIn(request.server.ctx.store.db, person, org)).length > 0) return { organisationId: org, personId: person };
    if (isAllowed(request.actor, action, organisationTarget)) throw new AppError('SC_ERR_UNKNOWN_PERSON');
    return organisationTarget;
  };
}

/** The signed-in actor; access control has already refused anonymous requests to these routes. */
export function actorOf(request: FastifyRequest): Actor {
  const actor = request.actor;
  if (actor === null) throw new AppError('SC_ERR_SIGN_IN_REQUIRED');
  return actor;
}

/**
 * The organisation whose role allows the actor this action on this organisation:
 * the audit entry's actor_org. Their role in the organisation itself when they hold
 * one that grants it, otherwise the organisation of the role that grants it anywhere.
 */
export function actorOrgFor(actor: Actor, action: Action, organisationId?: string): string | null {
  const scopes = scopesFor(actor, action);
  const here = scopes.find((s) => s.scope === 'own_organisation' && s.held?.organisationId === organisationId);
  const anywhere = scopes.find((s) => s.scope === 'any' && s.held !== null);
  return here?.held?.organisationId ?? anywhere?.held?.organisationId ?? actor.roles[0]?.organisationId ?? null;
}

/**
 * True when the actor may do the action in every one of the organisations: what an
 * action on the whole account (suspension, ending sessions) needs, since it reaches
 * into every organisation the person belongs to.
 */
export function hasAuthorityOverAll(actor: Actor, action: Action, organisationIds: readonly string[]): boolean {
  return organisationIds.every((organisationId) => isAllowed(actor, action, { organisationId }));
}

/** Refuses as access control does (audited, repeats summarised and throttled), with a message saying why. */
export async function deny(request: FastifyRequest, action: Action, target: Target, message: string): Promise<never> {
  return refuse(request, action, { ...target }, message);
}
