/**
 * The one way the app redirects, so that every Location header is plain ASCII.
 * Node refuses a header value holding a character above U+00FF (the reply becomes
 * a 500 after the route has done its work, such as writing a session row whose
 * cookie is then never sent) and sends U+0080 to U+00FF as raw bytes, which
 * browsers and proxies read differently. A guard test (redirect.test.ts) checks
 * that routes call this rather than reply.redirect.
 */
import type { FastifyReply } from 'fastify';

/** encodeURIComponent throws on these (String.prototype.toWellFormed is not in the ES2022 lib). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `target` with every character outside printable ASCII percent-encoded as UTF-8,
 * which is what a browser would request for it; a lone surrogate becomes U+FFFD.
 * Existing `%xx` escapes and ASCII punctuation are kept as they are.
 */
export function asciiLocation(target: string): string {
  return target.replace(LONE_SURROGATE, '\ufffd').replace(/[^\x21-\x7e]+/g, (run) => encodeURIComponent(run));
}

/** Redirects to `target` (a path on this site) with its Location made ASCII. */
export function redirect(reply: FastifyReply, target: string, status: 301 | 302 | 303 = 303): FastifyReply {
  return reply.redirect(asciiLocation(target), status);
}
