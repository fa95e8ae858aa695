/**
 * A small outline of a neighbourhood's boundary, drawn server-side as an SVG
 * path so the page shows the area's shape without JavaScript or map tiles.
 * Longitudes are scaled by the cosine of the latitude so the shape is not
 * stretched east to west.
 */
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';

/** An SVG viewBox and path for the boundary outline. */
export interface Outline {
  viewBox: string;
  path: string;
}

const SIZE = 200;
const PAD = 6;

/** The outline in a 200-unit box, or null when there is no boundary to draw. */
export function boundaryOutline(ring: readonly LatLng[]): Outline | null {
  if (ring.length < 3) return null;
  const midLat = ring.reduce((s, p) => s + p.latitude, 0) / ring.length;
  const k = Math.cos((midLat * Math.PI) / 180);
  const xs = ring.map((p) => p.longitude * k);
  const ys = ring.map((p) => -p.latitude);
  const minX = Math.min(...xs);
  const minY = Math.min(...ys);
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY);
  if (!(span > 0)) return null;
  const scale = (SIZE - 2 * PAD) / span;
  const width = Math.round((Math.max(...xs) - minX) * scale + 2 * PAD);
  const height = Math.round((Math.max(...ys) - minY) * scale + 2 * PAD);
  const points = xs.map((x, i) => `${((x - minX) * scale + PAD).toFixed(1)},${((ys[i]! - minY) * scale + PAD).toFixed(1)}`);
  return { viewBox: `0 0 ${width} ${height}`, path: `M${points.join('L')}Z` };
}
