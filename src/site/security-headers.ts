/**
 * Headers every response carries, pages or not (ASVS 3.4, 14.3). Pages set a fuller
 * Content-Security-Policy of their own (views.ts); anything else, such as JSON from the
 * API, gets one that allows nothing, so a response opened directly in a browser cannot
 * run or load anything.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

export const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** One year with subdomains: the ASVS 3.4.1 minimum. Sent only where the site is served over https. */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) reply.header('Content-Security-Policy', FALLBACK_CSP);
    if (!reply.hasHeader('x-content-type-options')) reply.header('X-Content-Type-Options', 'nosniff');
    if (!reply.hasHeader('referrer-policy')) reply.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (!reply.hasHeader('x-frame-options')) reply.header('X-Frame-Options', 'DENY');
    if (config.COOKIE_SECURE) reply.header('Strict-Transport-Security', HSTS);
    return payload;
  });
}
