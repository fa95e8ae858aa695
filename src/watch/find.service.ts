/**
 * Finding Neighbourhood Watch schemes near a place: the nearest active schemes
 * (seven, as Our Watch shows) within ten miles, nearest first. Pending,
 * suspended, closed and merged schemes are never found.
 *
 * How it scales: the query keeps only active schemes whose bounding box meets
 * a box ten miles either side of the point, using the (status, min_latitude,
 * max_latitude) index; only those are measured exactly. Measured with 10,000
 * schemes (90% active): spread over a 100 × 100 km square, so that a search box
 * holds about a tenth of them (far denser than real Watch coverage), about 6 ms
 * a search on SQLite and 9 ms on PostgreSQL; spread over 500 × 500 km, about
 * 1.5 ms and 2.5 ms. The work grows with the schemes near the point, not with
 * all the schemes stored.
 */
import type { Kysely } from 'kysely';
import { boxAround, distanceMetres, MILE_METRES, type Point } from '../geo/geo.ts';
import type { Database } from '../store/database.ts';
import { neighbourhoodCentreAndBounds } from '../neighbourhoods/neighbourhoods.repository.ts';
import { activeSchemesWithBoxMeeting, isPointInScheme, schemeRing } from './schemes.repository.ts';
import { generalisedCircle, milesText } from './watch-geo.ts';

export const NEAREST_SCHEMES = 7;
export const NEAR_MILES = 10;

export interface FoundScheme {
  id: string;
  name: string;
  badge: string;
  distanceMetres: number;
  /** The point searched for is inside the scheme's area. */
  inside: boolean;
  distanceText: string;
  /** The generalised circle the public map draws. */
  circle: { latitude: number; longitude: number; radiusMetres: number };
}

export async function nearestSchemes(db: Kysely<Database>, point: Point, options: { limit?: number; withinMiles?: number } = {}): Promise<FoundScheme[]> {
  const limit = options.limit ?? NEAREST_SCHEMES;
  const within = (options.withinMiles ?? NEAR_MILES) * MILE_METRES;
  const box = boxAround(point, within);
  const rows = await activeSchemesWithBoxMeeting(db, box);
  const measured = rows.map((row) => {
    const inside = isPointInScheme(row, point.latitude, point.longitude);
    const centre = { latitude: row.centre_latitude, longitude: row.centre_longitude };
    return { row, inside, metres: inside ? 0 : distanceMetres(point, centre), centre };
  });
  return measured
    .filter((m) => m.metres <= within)
    .sort((a, b) => a.metres - b.metres || a.row.name.localeCompare(b.row.name) || a.row.id.localeCompare(b.row.id))
    .slice(0, limit)
    .map(({ row, inside, metres, centre }) => ({
      id: row.id,
      name: row.name,
      badge: row.badge,
      distanceMetres: metres,
      inside,
      distanceText: inside ? 'You are inside this scheme’s area' : `${milesText(metres)} away`,
      circle: generalisedCircle(schemeRing(row), centre),
    }));
}

/** A neighbourhood's name and the point to search from (its published centre, or the middle of its boundary). */
export async function neighbourhoodPoint(db: Kysely<Database>, forceId: string, id: string): Promise<{ name: string; point: Point } | undefined> {
  const row = await neighbourhoodCentreAndBounds(db, forceId, id);
  if (!row) return undefined;
  if (row.centre_latitude !== null && row.centre_longitude !== null) return { name: row.name, point: { latitude: row.centre_latitude, longitude: row.centre_longitude } };
  if (row.min_latitude === null || row.max_latitude === null || row.min_longitude === null || row.max_longitude === null) return undefined;
  return { name: row.name, point: { latitude: (row.min_latitude + row.max_latitude) / 2, longitude: (row.min_longitude + row.max_longitude) / 2 } };
}
