/**
 * Server-rendered pages: Nunjucks with GOV.UK Frontend's macros. Every page works
 * without JavaScript; scripts only enhance. Autoescaping is on, so nothing a user
 * types is ever rendered as HTML.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import nunjucks from 'nunjucks';
import type { Config } from '../config.ts';
import { GOVUK_DIST, type SiteAssets } from './assets.ts';
import type { Action } from '../access/permissions.ts';
import { isAllowed, SOMEWHERE, type Actor } from '../access/policy.ts';
import { DEFAULT_LOCALE, isLocale, translator } from './i18n.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** Headers for every page: a strict policy with no inline script and no third-party code. */
export function pageSecurityHeaders(config: Config): Record<string, string> {
  const tiles = new URL(config.MAP_TILE_URL.replace(/\{[a-z]\}/g, '0')).origin;
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self' data: ${tiles}`,
      `connect-src 'self' ${tiles}`,
      // MapLibre GL runs its workers from blob: URLs.
      "worker-src 'self' blob:",
      "child-src 'self' blob:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'geolocation=(self), camera=(), microphone=()',
  };
}

/** Which signed-in areas the header links to: only those the person may use. */
export function navigationFor(actor: Actor | null): { staff: boolean; admin: boolean; watchAdmin: boolean; guides: boolean } {
  const anywhere = (action: Action) => isAllowed(actor, action, SOMEWHERE);
  return {
    staff: anywhere('neighbourhood.edit') || anywhere('neighbourhood.manage'),
    admin: anywhere('person.view') || anywhere('organisation.manage') || anywhere('audit.view') || anywhere('outbox.view'),
    watchAdmin: anywhere('watch.administer'),
    guides: anywhere('guide.edit'),
  };
}

export function registerViews(app: FastifyInstance, config: Config, assets: SiteAssets): void {
  const env = nunjucks.configure([join(here, 'templates'), GOVUK_DIST], {
    autoescape: true,
    throwOnUndefined: false,
    // Templates change only with the code, so they are compiled once per start.
    noCache: false,
  });
  env.addGlobal('site', {
    name: config.SITE_NAME,
    organisation: config.SITE_ORGANISATION,
    logoUrl: config.SITE_LOGO_FILE ? assets.url('logo') : null,
  });
  env.addGlobal('asset', (name: string) => assets.url(name));
  // English unless the page's data sets `locale` (each page gets its own `t`, which wins over this one).
  env.addGlobal('t', translator(DEFAULT_LOCALE));
  const headers = pageSecurityHeaders(config);
  app.decorateReply('page', function page(this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
    const request = this.request;
    // Every page knows who is signed in (for the header) and can put a CSRF token in a form.
    // `t` is the translation catalogue for the page's locale (src/site/i18n.ts).
    const locale = isLocale(data.locale) ? data.locale : DEFAULT_LOCALE;
    const page = { currentUser: request.actor, can: navigationFor(request.actor), csrf: () => request.csrfToken(), locale, t: translator(locale), ...data };
    // Pages can show personal details once someone is signed in: keep them out of shared caches.
    if (request.session) this.header('Cache-Control', 'no-store');
    return this.headers(headers).type('text/html; charset=utf-8').send(env.render(template, page));
  });
}

declare module 'fastify' {
  interface FastifyReply {
    /** Renders a page template with the site's security headers and sends it. */
    page(template: string, data?: Record<string, unknown>): FastifyReply;
  }
}
