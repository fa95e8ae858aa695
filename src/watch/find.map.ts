/**
 * What the Watch pages need to draw a map: MapLibre's files and the map's
 * stylesheet, which the crime map serves from our own origin under content-hashed
 * names (computed the same way here, so the URLs match), and the tile settings.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

let cached: Record<string, string> | undefined;

/** `/assets/crime-map/<name>?v=<hash>` for maplibre-gl.js, maplibre-gl.css and map.css. */
export function mapAssetUrls(): Record<string, string> {
  if (cached) return cached;
  const dist = dirname(require.resolve('maplibre-gl/dist/maplibre-gl.js'));
  const files: Record<string, string> = {
    'maplibre-gl.js': join(dist, 'maplibre-gl.js'),
    'maplibre-gl.css': join(dist, 'maplibre-gl.css'),
    'map.css': join(here, '..', 'crime-map', 'map.css'),
  };
  const urls: Record<string, string> = {};
  for (const [name, path] of Object.entries(files)) {
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 12);
    urls[name] = `/assets/crime-map/${name}?v=${hash}`;
  }
  cached = urls;
  return urls;
}

export function mapSettings(config: Config) {
  return { assetUrls: mapAssetUrls(), tiles: { url: config.MAP_TILE_URL, attribution: config.MAP_TILE_ATTRIBUTION } };
}

export const BADGES: Record<string, { text: string; classes: string }> = {
  self_declared: { text: 'Self-declared', classes: 'govuk-tag--grey' },
  association_verified: { text: 'Verified by the Neighbourhood Watch association', classes: 'govuk-tag--blue' },
  police_verified: { text: 'Verified by the police', classes: 'govuk-tag--green' },
};

export function badgeOf(badge: string): { text: string; classes: string } {
  return BADGES[badge] ?? BADGES.self_declared!;
}
