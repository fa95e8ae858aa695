/**
 * The site's static assets: the stylesheet compiled once at start from GOV.UK
 * Frontend with the configured brand, GOV.UK Frontend's script and images, and
 * our own small scripts. Files are named by content hash and cached for a year.
 */
import { access, withDefaultAccess } from '../access/access.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import * as sass from 'sass';
import type { Config } from '../config.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const NODE_MODULES = dirname(dirname(GOVUK_DIST));

export interface SiteAssets {
  /** URL of each asset by logical name, e.g. `app.css` → `/assets/app.css?v=1a2b3c`. */
  url(name: string): string;
}

const SYSTEM_FONTS = '(system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif)';

/** Compiles the stylesheet with the brand settings; about a second, once per start. */
export function compileStylesheet(config: Config): string {
  const source = readFileSync(join(here, 'assets', 'app.scss'), 'utf8').replace(
    /^ {2}BRAND_SETTINGS$/m,
    [
      `  $govuk-font-family: ${SYSTEM_FONTS}`,
      `  $govuk-functional-colours: (brand: ${config.SITE_BRAND_COLOUR})`,
      `  $govuk-assets-path: "/assets/govuk/"`,
    ].join(',\n'),
  );
  return sass.compileString(source, { loadPaths: [NODE_MODULES], style: 'compressed', quietDeps: true }).css;
}

const hash = (content: string | Buffer) => createHash('sha256').update(content).digest('hex').slice(0, 12);

export async function registerAssets(app: FastifyInstance, config: Config): Promise<SiteAssets> {
  const files = new Map<string, { body: string | Buffer; type: string }>();
  files.set('app.css', { body: compileStylesheet(config), type: 'text/css; charset=utf-8' });
  files.set('govuk-frontend.min.js', {
    body: readFileSync(join(GOVUK_DIST, 'govuk', 'govuk-frontend.min.js')),
    type: 'text/javascript; charset=utf-8',
  });
  if (config.SITE_LOGO_FILE) {
    const type = config.SITE_LOGO_FILE.toLowerCase().endsWith('.svg') ? 'image/svg+xml' : 'image/png';
    files.set('logo', { body: readFileSync(config.SITE_LOGO_FILE), type });
  }
  const versions = new Map([...files].map(([name, f]) => [name, hash(f.body)]));

  for (const [name, file] of files) {
    app.get(`/assets/${name}`, { config: access('public.view') }, async (_request, reply) =>
      reply.type(file.type).header('Cache-Control', 'public, max-age=31536000, immutable').send(file.body),
    );
  }
  // Our own browser scripts, and GOV.UK Frontend's images (no fonts: the brand uses system fonts).
  const staticFiles = withDefaultAccess('public.view', async (scope) => {
    await scope.register(fastifyStatic, { root: join(here, 'browser'), prefix: '/assets/js/', decorateReply: false, maxAge: '1h' });
    await scope.register(fastifyStatic, { root: join(GOVUK_DIST, 'govuk', 'assets', 'images'), prefix: '/assets/govuk/images/', decorateReply: false, maxAge: '1d' });
  });
  await app.register(staticFiles);

  return {
    url(name) {
      const version = versions.get(name);
      return version ? `/assets/${name}?v=${version}` : `/assets/js/${name}`;
    },
  };
}
