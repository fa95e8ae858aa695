/**
 * Reading what Fastify types as unknown where a route declares no schema: its
 * query string, route params and body.
 */
import type { FastifyRequest } from 'fastify';

/**
 * One named value of a query string, route params or body, as it came (a string, an
 * array for a repeated query key, …) for the caller to check; undefined when the
 * source is not an object or has no such value.
 * @example const done = requestValue(request.query, 'done'); if (typeof done === 'string') …
 */
export function requestValue(source: unknown, name: string): unknown {
  if (typeof source !== 'object' || source === null) return undefined;
  // Reading a property of an object is always safe: the one cast behind all of these reads.
  return (source as Record<string, unknown>)[name];
}

/**
 * A parameter of the route's path (`:id` in `/watch/schemes/:id`). Fastify's router
 * always supplies those; asking for one the path lacks is a programming error.
 */
export function routeParam(request: FastifyRequest, name: string): string {
  const value = requestValue(request.params, name);
  if (typeof value !== 'string') throw new Error(`The route ${request.routeOptions.url ?? ''} has no :${name} parameter`);
  return value;
}
