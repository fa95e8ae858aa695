/**
 * Place search: turns what a resident typed (a postcode, part of one,
 * coordinates or a neighbourhood's name) or the point their browser gave into
 * their neighbourhood, a short list to choose from, or a message saying what
 * to do next. Every input is checked here; nothing a person types makes it throw.
 */
import type { Kysely } from 'kysely';
import { pointInPolygon } from '../geo/geo.ts';
import { locateNeighbourhood, onRing } from '../neighbourhoods/locate.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import type { Database } from '../store/database.ts';
import type { Store } from '../store/store.ts';
import { boundariesNear, namedNeighbourhood, type NamedNeighbourhood } from './places.repository.ts';
import { parsePoint, parseQueryText, parseTypedCoordinates } from './places.schema.ts';
import { findPostcode, postcodesInDistrict } from './postcodes.repository.ts';
import { looksLikePostcodeAttempt, normalisePostcode, parsePartialPostcode, type PartialPostcode } from './postcode.ts';
import { rankByName } from './name-search.ts';

export interface PlaceChoice {
  forceId: string;
  neighbourhoodId: string;
  name: string;
  /** Names repeat across forces ("Town Centre"), so a list should show this too. */
  forceName: string;
}

export type PlaceResult =
  | {
      kind: 'neighbourhood';
      forceId: string;
      neighbourhoodId: string;
      name: string;
      forceName: string;
      /** The point searched for, when the search was for a point (postcode, coordinates, location). */
      point?: LatLng;
      /** The postcode found, normalised, when the search was by postcode. */
      postcode?: string;
    }
  | { kind: 'choices'; message: string; choices: PlaceChoice[]; /** Matches in all; choices may hold fewer. */ total: number }
  | { kind: 'not-found'; message: string }
  | { kind: 'invalid'; message: string };

/** The most choices a list shows: beyond this a person is better off typing more. */
export const MAX_CHOICES = 20;
/** Postcodes of a district tested against boundaries; enough to find every neighbourhood it touches. */
const DISTRICT_SAMPLE = 300;
const MIN_NAME_LENGTH = 2;

export const MESSAGES = {
  malformedPostcode:
    'Enter a real postcode, like SO23 8UA. A postcode starts with 1 or 2 letters and a number, and ends with a number and 2 letters',
  tooShort: `Enter at least ${MIN_NAME_LENGTH} letters of your neighbourhood’s name, or your postcode`,
  unknownPostcode: (postcode: string) =>
    `We do not know the postcode ${postcode}. Check it is right, or search for the name of your neighbourhood instead`,
  postcodeOutside: (postcode: string) =>
    `${postcode} is outside the area this site covers. Check the postcode is right, or contact the police force for that area`,
  pointOutside:
    'That location is outside the area this site covers. Search for your postcode or the name of your neighbourhood instead',
  unknownDistrict: (label: string) =>
    `We do not know any postcodes starting ${label}. Enter your full postcode, like SO23 8UA, or the name of your neighbourhood`,
  districtOutside: (label: string) => `Postcodes starting ${label} are outside the area this site covers`,
  districtChoices: (label: string, n: number) =>
    `Postcodes starting ${label} are in ${n} neighbourhoods. Choose yours, or enter your full postcode`,
  noName: (text: string) => `No neighbourhood’s name includes “${text}”. Check the spelling, or search for your postcode instead`,
  nameChoices: (text: string, n: number) =>
    n > MAX_CHOICES
      ? `${n} neighbourhoods match “${text}”. The first ${MAX_CHOICES} are shown: type more of the name to find yours`
      : `${n} neighbourhoods match “${text}”. Choose yours`,
};

/**
 * Finds the neighbourhood a resident is looking for.
 * @param query The search box text, or `{ latitude, longitude }` (numbers or
 *   numeric text) from "use my location". Anything else is answered with `invalid`.
 * @example
 * await findPlace(store, 'so23 8ua')          // by postcode
 * await findPlace(store, 'DM1')               // district: one neighbourhood, or choices
 * await findPlace(store, '52.55, 0.70')       // coordinates
 * await findPlace(store, 'riverside')         // by name, across every force
 * await findPlace(store, { latitude: '52.55', longitude: '0.7' })
 */
export async function findPlace(store: Store, query: unknown): Promise<PlaceResult> {
  const db = store.db;
  if (typeof query === 'object' && query !== null) {
    const point = parsePoint(query);
    return point.ok ? atPoint(db, point.value, {}) : { kind: 'invalid', message: point.message };
  }
  const text = parseQueryText(query);
  if (!text.ok) return { kind: 'invalid', message: text.message };
  const q = text.value;

  const typed = parseTypedCoordinates(q);
  if (typed) return typed.ok ? atPoint(db, typed.value, {}) : { kind: 'invalid', message: typed.message };

  const postcode = normalisePostcode(q);
  if (postcode !== undefined) return byPostcode(db, postcode);

  const partial = parsePartialPostcode(q);
  if (partial) return byDistrict(db, partial);

  if (q.length < MIN_NAME_LENGTH) return { kind: 'invalid', message: MESSAGES.tooShort };
  const named = await byName(db, q);
  // A mistyped postcode (`SO23 8U`) is no name either: say what a postcode looks like.
  if (named.kind === 'not-found' && looksLikePostcodeAttempt(q)) return { kind: 'invalid', message: MESSAGES.malformedPostcode };
  return named;
}

async function atPoint(db: Kysely<Database>, point: LatLng, found: { postcode?: string }): Promise<PlaceResult> {
  const located = await locateNeighbourhood(db, point);
  const n = located ? await namedNeighbourhood(db, located.force_id, located.id) : undefined;
  if (!n) {
    return { kind: 'not-found', message: found.postcode !== undefined ? MESSAGES.postcodeOutside(found.postcode) : MESSAGES.pointOutside };
  }
  return { kind: 'neighbourhood', ...choiceOf(n), point, ...found };
}

async function byPostcode(db: Kysely<Database>, postcode: string): Promise<PlaceResult> {
  const row = await findPostcode(db, postcode);
  if (!row) return { kind: 'not-found', message: MESSAGES.unknownPostcode(postcode) };
  return atPoint(db, { latitude: row.latitude, longitude: row.longitude }, { postcode: row.postcode });
}

/**
 * A district or sector covers many postcodes and may cross neighbourhood
 * boundaries: each neighbourhood its postcodes fall in becomes a choice, the
 * one holding most of them first.
 */
async function byDistrict(db: Kysely<Database>, partial: PartialPostcode): Promise<PlaceResult> {
  const label = partial.sector === undefined ? partial.outward : `${partial.outward} ${partial.sector}`;
  const all = await postcodesInDistrict(db, partial.outward);
  const inArea = partial.sector === undefined ? all : all.filter((p) => p.postcode.startsWith(label));
  if (inArea.length === 0) return { kind: 'not-found', message: MESSAGES.unknownDistrict(label) };

  const step = Math.max(1, Math.ceil(inArea.length / DISTRICT_SAMPLE));
  const sample = inArea.filter((_, i) => i % step === 0);
  const candidates = await boundariesNear(db, sample);
  const counts = new Map<NamedNeighbourhood, number>();
  for (const p of sample) {
    // Same rule as locate-neighbourhood: the first candidate holding the point, edges included.
    const hit = candidates.find(
      (c) =>
        p.latitude >= c.box.minLat &&
        p.latitude <= c.box.maxLat &&
        p.longitude >= c.box.minLng &&
        p.longitude <= c.box.maxLng &&
        (pointInPolygon(p, c.boundary) || onRing(p, c.boundary)),
    );
    if (hit) counts.set(hit, (counts.get(hit) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].name.localeCompare(b[0].name)).map(([n]) => n);
  const [first] = ranked;
  if (!first) return { kind: 'not-found', message: MESSAGES.districtOutside(label) };
  if (ranked.length === 1) return { kind: 'neighbourhood', ...choiceOf(first) };
  return { kind: 'choices', message: MESSAGES.districtChoices(label, ranked.length), choices: ranked.slice(0, MAX_CHOICES).map(choiceOf), total: ranked.length };
}

async function byName(db: Kysely<Database>, text: string): Promise<PlaceResult> {
  const { matches, exact } = await rankByName(db, text);
  const [first] = matches;
  if (!first) return { kind: 'not-found', message: MESSAGES.noName(text) };
  // One name matching exactly is what was meant, even if longer names contain it.
  const only = matches.length === 1 ? first : exact.length === 1 ? exact[0] : undefined;
  if (only) return { kind: 'neighbourhood', ...choiceOf(only) };
  return { kind: 'choices', message: MESSAGES.nameChoices(text, matches.length), choices: matches.slice(0, MAX_CHOICES).map(choiceOf), total: matches.length };
}

function choiceOf(n: NamedNeighbourhood): PlaceChoice {
  return { forceId: n.forceId, neighbourhoodId: n.neighbourhoodId, name: n.name, forceName: n.forceName };
}
