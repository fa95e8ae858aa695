/**
 * Reading parameters the way data.police.uk does: from the query string, or for
 * the area routes from a form-encoded POST body (never JSON).
 */
import type { FastifyRequest } from 'fastify';
import { fail } from '../errors.ts';

export type Params = Record<string, unknown>;

export function requestParams(request: FastifyRequest): Params {
  const query = (request.query ?? {}) as Params;
  if (request.method !== 'POST') return query;
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) fail('SC_ERR_BAD_BODY');
  return { ...query, ...((request.body ?? {}) as Params) };
}

/** A repeated parameter (`?date=a&date=b`) is as malformed as a bad value. */
export function single(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '\u0000invalid';
}

/** A positive integer id, or undefined when it is not one. */
export function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return undefined;
  const n = Number(value);
  return n > 0 ? n : undefined;
}
