/**
 * Serves Chart.js's browser build straight from the installed package (never a
 * vendored copy), under a URL versioned by content so it can be cached for a year.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);

/** Registers the route and answers the URL pages load the library from. */
export function registerChartAsset(app: FastifyInstance): string {
  // The package exports no subpaths, so the UMD file is found beside its main entry.
  const file = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  const body = readFileSync(file);
  const version = createHash('sha256').update(body).digest('hex').slice(0, 12);
  app.get('/assets/vendor/chart.umd.min.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=31536000, immutable').send(body),
  );
  return `/assets/vendor/chart.umd.min.js?v=${version}`;
}
