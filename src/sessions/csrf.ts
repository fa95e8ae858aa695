/**
 * Cross-site request forgery protection for every state-changing request outside
 * the open data API. Two independent checks, both must pass:
 *  1. the request did not come from another site (Sec-Fetch-Site / Origin), and
 *  2. it carries a token only our pages can know: an HMAC of the session token for
 *     signed-in people, or of a random cookie for anonymous visitors (sign-in, sign-up
 *     and public forms), so a token cannot be replayed against another session.
 * SameSite=Lax cookies are a third layer, not relied on alone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfKey(secretKey: string): Buffer {
  return createHmac('sha256', secretKey).update('safe-communities csrf').digest();
}

export function csrfTokenFor(key: Buffer, kind: 'session' | 'anonymous', value: string): string {
  return createHmac('sha256', key).update(`${kind}:${value}`).digest('base64url');
}

export function newAnonymousCsrfValue(): string {
  return randomBytes(16).toString('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a request sent, from the form body or the header scripts use. */
export function sentCsrfToken(request: FastifyRequest): string | undefined {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string') return header;
  const body = request.body;
  if (body !== null && typeof body === 'object' && CSRF_FIELD in body) {
    const value = body[CSRF_FIELD];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * True when the browser says the request came from another site. Browsers that send
 * Sec-Fetch-Site are believed; it is exact, whereas Origin is 'null' on a same-origin
 * form POST from a page with Referrer-Policy: no-referrer. Older browsers fall back
 * to Origin, where 'null' is refused.
 */
export function isCrossSite(request: FastifyRequest, publicOrigin: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string') return fetchSite !== 'same-origin' && fetchSite !== 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return true;
  const own = new Set([publicOrigin, `${request.protocol}://${request.host}`]);
  return !own.has(origin);
}

export function needsCsrfCheck(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  // The open data API is stateless and cookie-free: POST there only carries a polygon.
  return !request.url.startsWith('/api/');
}

export interface CsrfContext {
  key: Buffer;
  publicOrigin: string;
  /** The token this request should have sent, or null when it has no session or anonymous cookie. */
  expected(request: FastifyRequest): string | null;
}

export function csrfFailure(request: FastifyRequest, ctx: CsrfContext): 'cross-site' | 'missing' | 'mismatch' | null {
  if (isCrossSite(request, ctx.publicOrigin)) return 'cross-site';
  const sent = sentCsrfToken(request);
  const expected = ctx.expected(request);
  if (sent === undefined || expected === null) return 'missing';
  return sameToken(sent, expected) ? null : 'mismatch';
}

export type { FastifyReply };
