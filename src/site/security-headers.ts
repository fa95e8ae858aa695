/**
 * Headers every response carries, pages or not (ASVS 3.4, 14.3). Pages set a fuller
 * Content-Security-Policy of their own (views.ts); anything else, such as JSON from the
 * API, gets one that allows nothing, so a response opened directly in a browser cannot
 * run or load anything.
 *
 * Fastify answers some requests without running hooks (a URL the router cannot decode,
 * a request Node cannot parse): src/http-edge.ts gives those answers the same headers,
 * from securityHeaders.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

export const FALLBACK_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** One year with subdomains: the ASVS 3.4.1 minimum. Sent only where the site is served over https. */
export const HSTS = 'max-age=31536000; includeSubDomains';

/** The headers any response starts with. */
export function securityHeaders(config: Pick<Config, 'COOKIE_SECURE'>): Readonly<Record<string, string>> {
  return Object.freeze({
    'Content-Security-Policy': FALLBACK_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    ...(config.COOKIE_SECURE ? { 'Strict-Transport-Security': HSTS } : {}),
  });
}

/** Register before any other hook, so that no hook's failure can get in first. */
export function registerSecurityHeaders(app: FastifyInstance, config: Config): void {
  const headers = securityHeaders(config);
  // Set as the request arrives, so that even Fastify's last-resort answer (when the error
  // handler and the onSend hooks all fail, it writes whatever headers the reply holds) has them.
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
  // And again at the end, for a route that removed one.
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(headers)) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    return payload;
  });
}
