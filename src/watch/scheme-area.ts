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
import { neighbourhoodsWithBoxMeeting, onlyForceWithNeighbourhoods, type BoxedCandidate } from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Database } from '../store/database.ts';
import { isOneOf } from '../store/column-values.ts';
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
    if (!isOneOf(SCHEME_RADIUS_CHOICES, radius)) return bad('radius', `Choose a distance around the postcode`);
    const place = await resolvePlace(ctx, postcode);
    if (!place.ok) return bad('postcode', place.message);
    ring = circleRing(place.value, Number(radius) * MILE_METRES);
  } else {
    return bad('poly', 'Draw the area on the map, type its corners, or enter a postcode and a distance around it');
  }
  return placeInForce(ctx.store.db, ring);
}

function holder(candidates: readonly BoxedCandidate[], p: Point): BoxedCandidate | undefined {
  return candidates.find(
    (c) => p.latitude >= c.box.minLat && p.latitude <= c.box.maxLat && p.longitude >= c.box.minLng && p.longitude <= c.box.maxLng && (pointInPolygon(p, c.boundary) || onRing(p, c.boundary)),
  );
}

export async function placeInForce(db: Kysely<Database>, ring: Point[]): Promise<SchemeAreaResult> {
  const corners = openRing(ring);
  const box = boxOf(corners);
  const centreRaw = ringCentroid(corners);
  const centre = { latitude: round6(centreRaw.latitude), longitude: round6(centreRaw.longitude) };
  const candidates = await neighbourhoodsWithBoxMeeting(db, box);
  const atCentre = holder(candidates, centre);
  // When the centre is in no neighbourhood, the message names the force the site serves, if only one.
  const forceName = atCentre?.force_name ?? (await onlyForceWithNeighbourhoods(db));
  const outside = bad('poly', forceName ? `The area must be inside ${forceName}’s area. Draw it again inside the force area` : 'The area must be inside the area this site covers. Draw it again');
  if (!atCentre) return outside;
  const found = new Map<string, { forceId: string; id: string }>([[atCentre.id, { forceId: atCentre.force_id, id: atCentre.id }]]);
  for (const p of corners) {
    const hit = holder(candidates, p);
    if (!hit || hit.force_id !== atCentre.force_id) return outside;
    found.set(hit.id, { forceId: hit.force_id, id: hit.id });
  }
  const closed = [...corners, corners[0]!];
  return { ok: true, value: { ring: closed, centre, box, km2: ringAreaKm2(corners), forceId: atCentre.force_id, neighbourhoods: [...found.values()] } };
}
