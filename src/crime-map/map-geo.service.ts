/**
 * Geography for the map pages: neighbourhood boundaries as GeoJSON for the
 * map, and the point a person typed in the area form (a postcode or coordinates).
 */
import type { AppContext } from '../app-context.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import { normalisePostcode } from '../places/postcode.ts';
import { findPostcode } from '../places/postcodes.repository.ts';
import type { BoundaryRow } from './crime-map.repository.ts';

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Each neighbourhood as a GeoJSON polygon (longitude first, as GeoJSON orders it). */
export function boundariesGeoJson(rows: readonly BoundaryRow[]) {
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((r) => ({
      type: 'Feature' as const,
      id: `${r.force_id}/${r.id}`,
      properties: { forceId: r.force_id, neighbourhoodId: r.id, name: r.name, href: `/neighbourhoods/${encodeURIComponent(r.force_id)}/${encodeURIComponent(r.id)}` },
      geometry: { type: 'Polygon' as const, coordinates: [r.boundary.map((p) => [round6(p.longitude), round6(p.latitude)])] },
    })),
  };
}

/** `minLng,minLat,maxLng,maxLat`; null when absent. */
export function readBox(text: string | undefined): { minLat: number; maxLat: number; minLng: number; maxLng: number } | null | 'invalid' {
  if (text === undefined || text === '') return null;
  const values = text.split(',').map((v) => (v.trim() === '' ? NaN : Number(v)));
  if (values.length !== 4 || values.some((v) => !Number.isFinite(v))) return 'invalid';
  const [minLng, minLat, maxLng, maxLat] = values as [number, number, number, number];
  if (minLng > maxLng || minLat > maxLat) return 'invalid';
  return { minLat, maxLat, minLng, maxLng };
}

const COORDINATES = /^\s*([-+]?\d{1,2}(?:\.\d+)?)\s*[, ]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$/;

/** A postcode we hold, or "lat, lng"; otherwise a message saying what to type. */
export async function resolvePlace(ctx: AppContext, text: string): Promise<{ ok: true; value: LatLng } | { ok: false; message: string }> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a postcode or coordinates' };
  const coordinates = COORDINATES.exec(trimmed);
  if (coordinates) {
    const latitude = Number(coordinates[1]);
    const longitude = Number(coordinates[2]);
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return { ok: false, message: 'Enter coordinates as latitude, longitude, for example 52.62, 0.70' };
    return { ok: true, value: { latitude, longitude } };
  }
  const postcode = normalisePostcode(trimmed);
  if (!postcode) return { ok: false, message: 'Enter a full postcode, like SW1A 2AA, or coordinates, like 52.5229, 0.7302' };
  const found = await findPostcode(ctx.store.db, postcode);
  if (!found) return { ok: false, message: `We do not have the postcode ${postcode}. Check it, or enter coordinates instead` };
  return { ok: true, value: { latitude: found.latitude, longitude: found.longitude } };
}
