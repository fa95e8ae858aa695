/**
 * A new scheme's area as a person gives it: corners drawn on the map or typed
 * (`lat,lng` pairs separated by colons or new lines), or a distance around a
 * postcode. The drawn-area checks of the crime map (malformed, self-intersecting,
 * tiny, enormous) apply, with a tighter upper limit for a street-level scheme.
 *
 * Which neighbourhoods it lies in, kept simple: every neighbourhood whose boundary
 * holds the area's centre or one of its corners. The whole area must be inside
 * one force the site serves: the centre and every corner must fall in a
 * neighbourhood of the same force; otherwise the person is told to redraw it.
 */
import type { Kysely } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { resolvePlace } from '../crime-map/map-geo.service.ts';
import { parseDrawnPolygon, ringAreaKm2 } from '../crime-map/drawn-area.ts';
import { boxOf, MILE_METRES, pointInPolygon, type Box, type Point } from '../geo/geo.ts';
import { onRing } from '../neighbourhoods/locate.ts';
import type { Database } from '../store/database.ts';
import { circleRing, openRing, ringCentroid, round6 } from './watch-geo.ts';

/** A Watch scheme is a few streets or a village: larger than this is not one scheme. */
export const MAX_SCHEME_KM2 = 25;
export const SCHEME_RADIUS_CHOICES = ['0.1', '0.25', '0.5', '1'] as const;

export interface SchemeArea {
  /** Closed ring. */
  ring: Point[];
  centre: Point;
  box: Box;
  km2: number;
  forceId: string;
  neighbourhoods: { forceId: string; id: string }[];
}

export type SchemeAreaResult = { ok: true; value: SchemeArea } | { ok: false; field: 'poly' | 'postcode' | 'radius'; message: string };

const bad = (field: 'poly' | 'postcode' | 'radius', message: string): SchemeAreaResult => ({ ok: false, field, message });

/** What separates typed corners in any of the forms people use: colons, semicolons or one pair a line. */
const CORNER_SEPARATOR = /[\n\r;:]+/;

/** Typed corners in any of these forms as `lat,lng:lat,lng`. */
export function normaliseCorners(text: string): string {
  return text
    .split(CORNER_SEPARATOR)
    .map((s) => s.trim().replace(/\s*,\s*/, ','))
    .filter((s) => s !== '')
    .join(':');
}

export async function readSchemeArea(ctx: AppContext, input: { poly?: string; postcode?: string; radius?: string }): Promise<SchemeAreaResult> {
  const poly = (input.poly ?? '').trim();
  const postcode = (input.postcode ?? '').trim();
  let ring: Point[];
  if (poly !== '') {
    // Read as typed, so the drawn area's corner limit stops at the first corner too many.
    const parsed = parseDrawnPolygon(poly, CORNER_SEPARATOR);
    if (!parsed.ok) return bad('poly', parsed.message);
    if (parsed.value.area.kind !== 'polygon') return bad('poly', 'Draw the area as a shape with corners');
    if (parsed.value.km2 > MAX_SCHEME_KM2) {
      return bad('poly', `The area is too large for one scheme (${Math.round(parsed.value.km2)} km²). Draw an area smaller than ${MAX_SCHEME_KM2} square kilometres, such as a few streets or a village`);
    }
    ring = parsed.value.area.ring.map((p) => ({ latitude: round6(p.latitude), longitude: round6(p.longitude) }));
  } else if (postcode !== '') {
    const radius = input.radius ?? '';
    if (!(SCHEME_RADIUS_CHOICES as readonly string[]).includes(radius)) return bad('radius', `Choose a distance around the postcode`);
    const place = await resolvePlace(ctx, postcode);
    if (!place.ok) return bad('postcode', place.message);
    ring = circleRing(place.value, Number(radius) * MILE_METRES);
  } else {
    return bad('poly', 'Draw the area on the map, type its corners, or enter a postcode and a distance around it');
  }
  return placeInForce(ctx.store.db, ring);
}

interface Candidate {
  forceId: string;
  forceName: string;
  id: string;
  box: Box;
  boundary: Point[];
}

async function candidatesFor(db: Kysely<Database>, box: Box): Promise<Candidate[]> {
  const rows = await db
    .selectFrom('neighbourhoods as n')
    .leftJoin('forces as f', 'f.id', 'n.force_id')
    .select(['n.force_id', 'n.id', 'n.boundary', 'n.min_latitude', 'n.max_latitude', 'n.min_longitude', 'n.max_longitude', 'f.name as force_name'])
    .where('n.min_latitude', '<=', box.maxLat)
    .where('n.max_latitude', '>=', box.minLat)
    .where('n.min_longitude', '<=', box.maxLng)
    .where('n.max_longitude', '>=', box.minLng)
    .orderBy((eb) => eb.fn.coalesce('f.listed', eb.lit(0)), 'desc')
    .orderBy('n.force_id')
    .orderBy('n.id')
    .execute();
  return rows.map((r) => ({
    forceId: r.force_id,
    forceName: r.force_name ?? r.force_id,
    id: r.id,
    box: { minLat: r.min_latitude ?? 0, maxLat: r.max_latitude ?? 0, minLng: r.min_longitude ?? 0, maxLng: r.max_longitude ?? 0 },
    boundary: (JSON.parse(r.boundary) as [number, number][]).map(([latitude, longitude]) => ({ latitude, longitude })),
  }));
}

function holder(candidates: readonly Candidate[], p: Point): Candidate | undefined {
  return candidates.find(
    (c) => p.latitude >= c.box.minLat && p.latitude <= c.box.maxLat && p.longitude >= c.box.minLng && p.longitude <= c.box.maxLng && (pointInPolygon(p, c.boundary) || onRing(p, c.boundary)),
  );
}

/** The force whose name the "must be inside" message gives when the centre is in none. */
async function servedForceName(db: Kysely<Database>): Promise<string | undefined> {
  const rows = await db.selectFrom('neighbourhoods as n').innerJoin('forces as f', 'f.id', 'n.force_id').select('f.name').distinct().limit(2).execute();
  return rows.length === 1 ? rows[0]!.name : undefined;
}

export async function placeInForce(db: Kysely<Database>, ring: Point[]): Promise<SchemeAreaResult> {
  const corners = openRing(ring);
  const box = boxOf(corners);
  const centreRaw = ringCentroid(corners);
  const centre = { latitude: round6(centreRaw.latitude), longitude: round6(centreRaw.longitude) };
  const candidates = await candidatesFor(db, box);
  const atCentre = holder(candidates, centre);
  const forceName = atCentre?.forceName ?? (await servedForceName(db));
  const outside = bad('poly', forceName ? `The area must be inside ${forceName}’s area. Draw it again inside the force area` : 'The area must be inside the area this site covers. Draw it again');
  if (!atCentre) return outside;
  const found = new Map<string, { forceId: string; id: string }>([[atCentre.id, { forceId: atCentre.forceId, id: atCentre.id }]]);
  for (const p of corners) {
    const hit = holder(candidates, p);
    if (!hit || hit.forceId !== atCentre.forceId) return outside;
    found.set(hit.id, { forceId: hit.forceId, id: hit.id });
  }
  const closed = [...corners, corners[0]!];
  return { ok: true, value: { ring: closed, centre, box, km2: ringAreaKm2(corners), forceId: atCentre.forceId, neighbourhoods: [...found.values()] } };
}
