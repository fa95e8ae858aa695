/**
 * What the staff routes declare to access control, and what the signed-in person
 * may edit: the neighbourhood pages list only what `isAllowed` permits.
 */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { access } from '../access/access.ts';
import { isAllowed, scopesFor, type Actor, type Target } from '../access/policy.ts';
import type { Action } from '../access/permissions.ts';
import { AppError } from '../errors.ts';
import type { Database } from '../store/database.ts';
import { requestValue } from '../site/request-values.ts';
import { neighbourhoodName, neighbourhoodsOfForces } from './staff.repository.ts';

// Short enough that `force/id` fits the audit log's subject id (128 characters).
const forceId = z.string().min(1).max(40);
const neighbourhoodId = z.string().min(1).max(80);
const neighbourhoodParams = z.object({ force: forceId, id: neighbourhoodId });
const forceParams = z.object({ force: forceId });

/** `:force` and `:id` of a staff route, or the not-found page. */
export function parseNeighbourhoodParams(params: unknown): { force: string; id: string } {
  const parsed = neighbourhoodParams.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
  return parsed.data;
}

export function parseForceParam(params: unknown): string {
  const parsed = forceParams.safeParse(params);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_FORCE');
  return parsed.data.force;
}

const param = (request: FastifyRequest, name: string): string | undefined => {
  const value = requestValue(request.params, name);
  return typeof value === 'string' ? value : undefined;
};

/** The neighbourhood named by `:force` and `:id` (a missing part never matches a grant). */
export function neighbourhoodTarget(request: FastifyRequest): Target {
  const forceId = param(request, 'force');
  const neighbourhoodId = param(request, 'id');
  return { ...(forceId !== undefined ? { forceId } : {}), ...(neighbourhoodId !== undefined ? { neighbourhoodId } : {}) };
}

/** The force named by `:force`. */
export function forceTarget(request: FastifyRequest): Target {
  const forceId = param(request, 'force');
  return forceId !== undefined ? { forceId } : {};
}

/** Route config for a team's own pages: officers of that team and the force's administrators. */
export const EDIT_NEIGHBOURHOOD = access('neighbourhood.edit', neighbourhoodTarget);
/** Route config for a force administrator's pages. */
export const MANAGE_FORCE = access('neighbourhood.manage', forceTarget);

/** The organisation whose role allows the action, for the audit entry. */
export function actingOrganisation(actor: Actor, action: Action, target: Target): string | null {
  const held = actor.roles.find((role) => isAllowed({ ...actor, roles: [role] }, action, target));
  return held?.organisationId ?? actor.roles[0]?.organisationId ?? null;
}

export interface EditableNeighbourhood {
  forceId: string;
  id: string;
  name: string;
}

/** Every neighbourhood the actor may edit: their team's own, or each one of a force they administer. */
export async function editableNeighbourhoods(db: Kysely<Database>, actor: Actor): Promise<EditableNeighbourhood[]> {
  const forces = new Set<string>();
  const single: Array<[string, string]> = [];
  for (const { scope, held } of scopesFor(actor, 'neighbourhood.edit')) {
    if (!held?.forceId) continue;
    if (scope === 'own_force') forces.add(held.forceId);
    else if (scope === 'own_neighbourhood' && held.neighbourhoodId) single.push([held.forceId, held.neighbourhoodId]);
  }
  const rows: EditableNeighbourhood[] = [];
  if (forces.size > 0) {
    const found = await neighbourhoodsOfForces(db, [...forces]);
    rows.push(...found.map((r) => ({ forceId: r.force_id, id: r.id, name: r.name })));
  }
  for (const [forceId, id] of single) {
    if (forces.has(forceId)) continue;
    const name = await neighbourhoodName(db, forceId, id);
    if (name !== undefined) rows.push({ forceId, id, name });
  }
  const seen = new Set<string>();
  return rows
    .filter((r) => isAllowed(actor, 'neighbourhood.edit', { forceId: r.forceId, neighbourhoodId: r.id }))
    .filter((r) => !seen.has(`${r.forceId}/${r.id}`) && seen.add(`${r.forceId}/${r.id}`))
    .sort((a, b) => a.forceId.localeCompare(b.forceId) || a.name.localeCompare(b.name));
}

/** Forces whose neighbourhoods and teams the actor manages. */
export function managedForces(actor: Actor): string[] {
  const forces = new Set<string>();
  for (const { held } of scopesFor(actor, 'neighbourhood.manage')) if (held?.forceId) forces.add(held.forceId);
  return [...forces].filter((forceId) => isAllowed(actor, 'neighbourhood.manage', { forceId })).sort();
}
