/**
 * Refuses any request whose decoded path parameters, query or form fields hold a NUL
 * character (%00). No honest input contains one; PostgreSQL refuses it in text
 * (error 22021), so without this guard it reached SQL and became a 500 there while
 * SQLite quietly answered 404, and an audit entry refused it too. One check at the
 * edge, before access control and every handler, closes the class for every route.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Deep enough for any form or JSON body the app reads; deeper structures are refused by their own schemas. */
const MAX_DEPTH = 8;

/** True when `value`, or any key or string inside it, holds a NUL. */
export function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  // Buffers (uploads) are bytes, not text: they are not ours to judge here.
  if (Buffer.isBuffer(value)) return false;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000') || holdsNul(item, depth + 1)) return true;
  }
  return false;
}

export function requestHoldsNul(request: Pick<FastifyRequest, 'params' | 'query' | 'body'>): boolean {
  return holdsNul(request.params) || holdsNul(request.query) || holdsNul(request.body);
}

export function registerNulGuard(app: FastifyInstance): void {
  // preValidation: after the body is parsed, before access control (preHandler) audits anything.
  app.addHook('preValidation', async (request) => {
    if (requestHoldsNul(request)) throw new AppError('SC_ERR_NUL_IN_INPUT');
  });
}
