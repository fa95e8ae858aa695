/**
 * The fictional town of Brackenford and its villages: twelve neighbourhoods cut
 * from one distorted grid, so neighbours share their edges exactly and nothing
 * overlaps. The land sits over thinly populated Breckland heath in Norfolk, where
 * no provided real data set puts crimes of its own.
 *
 * The geography never depends on the caller's seed: snap points, boundaries and
 * postcodes stay put, and only the crimes on them change from seed to seed.
 */
import { pointInPolygon } from '../geo/geo.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import { Rng, round6 } from './random.ts';

export type AreaKind = 'town' | 'suburb' | 'rural';
export type Sector = 'west' | 'central' | 'east';

interface AreaPlan {
  id: string;
  name: string;
  kind: AreaKind;
  row: number;
  col: number;
  /** Postcode district, e.g. DM1: the DM area does not exist in the real postcode system. */
  district: string;
  /** Places inside the neighbourhood, for descriptions, addresses and event venues. */
  places: string[];
}

const PLANS: readonly AreaPlan[] = [
  { id: 'saxby-moor', name: 'Saxby Moor and Fenwick Green', kind: 'rural', row: 0, col: 0, district: 'DM7', places: ['Saxby Moor', 'Fenwick Green'] },
  { id: 'northgate', name: 'Northgate and Millfield', kind: 'suburb', row: 0, col: 1, district: 'DM3', places: ['Northgate', 'Millfield'] },
  { id: 'hollins-park', name: 'Hollins Park', kind: 'suburb', row: 0, col: 2, district: 'DM4', places: ['Hollins Park', 'Copper Beeches'] },
  { id: 'oakhurst', name: 'Oakhurst and Wickenfield', kind: 'rural', row: 0, col: 3, district: 'DM8', places: ['Oakhurst', 'Wickenfield'] },
  { id: 'hartwell-heath', name: 'Hartwell Heath', kind: 'rural', row: 1, col: 0, district: 'DM9', places: ['Hartwell Heath', 'Pinfold End'] },
  { id: 'brackenford-town-centre', name: 'Brackenford Town Centre', kind: 'town', row: 1, col: 1, district: 'DM1', places: ['Brackenford', 'Market Square'] },
  { id: 'brackenford-riverside', name: 'Brackenford Riverside', kind: 'town', row: 1, col: 2, district: 'DM2', places: ['Riverside', 'Wharf Quarter'] },
  { id: 'marsham', name: 'Marsham', kind: 'rural', row: 1, col: 3, district: 'DM10', places: ['Marsham', 'Marsham Staithe'] },
  { id: 'elmstead', name: 'Elmstead Parva and Lower Brindle', kind: 'rural', row: 2, col: 0, district: 'DM11', places: ['Elmstead Parva', 'Lower Brindle'] },
  { id: 'southfields', name: 'Southfields', kind: 'suburb', row: 2, col: 1, district: 'DM5', places: ['Southfields', 'Gallows Hill'] },
  { id: 'kilnworth', name: 'Kilnworth', kind: 'suburb', row: 2, col: 2, district: 'DM6', places: ['Kilnworth', 'Brickyard Estate'] },
  { id: 'thornby', name: 'Thornby St Mary', kind: 'rural', row: 2, col: 3, district: 'DM12', places: ['Thornby St Mary', 'Cold Harbour'] },
];

/** North-west corner of the grid, and the grid lines in km east and south of it: the town cells are the small middle ones. */
const ORIGIN: LatLng = { latitude: 52.585, longitude: 0.615 };
const COLUMN_KM = [0, 5, 8.5, 12, 17] as const;
const ROW_KM = [0, 5, 8.5, 13.5] as const;
const KM_PER_DEGREE_LAT = 111.2;
const KM_PER_DEGREE_LNG = 111.32 * Math.cos((ORIGIN.latitude * Math.PI) / 180);
// Jitter stays well under half the narrowest cell (3.5 km), so no edge can cross another.
const VERTEX_JITTER_KM = 0.5;
const EDGE_WOBBLE_KM = 0.3;
const EDGE_SEGMENTS = 5;

interface Km {
  x: number;
  y: number;
}

export interface DemoLsoa {
  code: string;
  name: string;
  seed: LatLng;
}

export interface DemoArea extends AreaPlan {
  /** Closed ring: the first point is repeated at the end. */
  boundary: LatLng[];
  /** Where the people are: the town centre, or the village green. */
  centre: LatLng;
  /** How far, in km, homes and streets spread from the centre. */
  spreadKm: number;
  sector: Sector;
  lsoas: DemoLsoa[];
}

function toLatLng(p: Km): LatLng {
  return { latitude: round6(ORIGIN.latitude - p.y / KM_PER_DEGREE_LAT), longitude: round6(ORIGIN.longitude + p.x / KM_PER_DEGREE_LNG) };
}

export function offsetKm(from: LatLng, eastKm: number, southKm: number): LatLng {
  return {
    latitude: round6(from.latitude - southKm / KM_PER_DEGREE_LAT),
    longitude: round6(from.longitude + eastKm / KM_PER_DEGREE_LNG),
  };
}

/** A wobbly line from a to b; built once per edge so both neighbours use identical points. */
function edge(rng: Rng, a: Km, b: Km): Km[] {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy);
  const points: Km[] = [a];
  for (let i = 1; i < EDGE_SEGMENTS; i++) {
    const t = i / EDGE_SEGMENTS;
    const wobble = rng.between(-EDGE_WOBBLE_KM, EDGE_WOBBLE_KM);
    points.push({ x: a.x + dx * t - (dy / length) * wobble, y: a.y + dy * t + (dx / length) * wobble });
  }
  points.push(b);
  return points;
}

function buildAreas(): DemoArea[] {
  const rng = new Rng('demo-geography-v1');
  const vertex: Km[][] = ROW_KM.map((y) => COLUMN_KM.map((x) => ({
    x: x + rng.between(-VERTEX_JITTER_KM, VERTEX_JITTER_KM),
    y: y + rng.between(-VERTEX_JITTER_KM, VERTEX_JITTER_KM),
  })));
  const at = (r: number, c: number): Km => vertex[r]![c]!;
  const across = ROW_KM.map((_, r) => COLUMN_KM.slice(1).map((_, c) => edge(rng, at(r, c), at(r, c + 1))));
  const down = ROW_KM.slice(1).map((_, r) => COLUMN_KM.map((_, c) => edge(rng, at(r, c), at(r + 1, c))));
  // The middle of the shared edge between the two town cells is the market square.
  const townCentre: Km = { x: (at(1, 2).x + at(2, 2).x) / 2, y: (at(1, 2).y + at(2, 2).y) / 2 };

  return PLANS.map((plan, index) => {
    const { row: r, col: c } = plan;
    const ring = [
      ...across[r]![c]!,
      ...down[r]![c + 1]!.slice(1),
      ...[...across[r + 1]![c]!].reverse().slice(1),
      ...[...down[r]![c]!].reverse().slice(1),
    ].map(toLatLng);
    const corners = [at(r, c), at(r, c + 1), at(r + 1, c + 1), at(r + 1, c)];
    const middle: Km = { x: corners.reduce((s, p) => s + p.x, 0) / 4, y: corners.reduce((s, p) => s + p.y, 0) / 4 };
    let centreKm: Km;
    if (plan.kind === 'town') {
      // Each town cell's centre sits a little inside it, towards the market square.
      centreKm = { x: middle.x * 0.45 + townCentre.x * 0.55, y: middle.y * 0.45 + townCentre.y * 0.55 };
    } else if (plan.kind === 'suburb') {
      centreKm = { x: middle.x * 0.7 + townCentre.x * 0.3, y: middle.y * 0.7 + townCentre.y * 0.3 };
    } else {
      centreKm = { x: middle.x + rng.between(-0.8, 0.8), y: middle.y + rng.between(-0.8, 0.8) };
    }
    const area: DemoArea = {
      ...plan,
      boundary: ring,
      centre: toLatLng(centreKm),
      spreadKm: plan.kind === 'town' ? 1.1 : plan.kind === 'suburb' ? 1.2 : 0.6,
      sector: c === 0 ? 'west' : c === 3 ? 'east' : 'central',
      lsoas: [],
    };
    const lsoaCount = plan.kind === 'town' ? 6 : plan.kind === 'suburb' ? 4 : 3;
    const lsoaRng = new Rng(`demo-lsoa-${plan.id}`);
    area.lsoas = Array.from({ length: lsoaCount }, (_, i) => ({
      // E01099xxx is past the end of the real LSOA numbering, so these codes name no real place.
      code: `E01099${String(index * 10 + i + 1).padStart(3, '0')}`,
      name: `Brackenford ${String(index + 1).padStart(3, '0')}${String.fromCharCode(65 + i)}`,
      seed: randomPointIn(area, lsoaRng, 'anywhere'),
    }));
    return area;
  });
}

/** True when the point and points about 60–90 m around it are all inside the ring, so rounding cannot push it out. */
export function wellInside(p: LatLng, ring: readonly LatLng[]): boolean {
  const d = 0.0008;
  return [
    p,
    { latitude: p.latitude + d, longitude: p.longitude },
    { latitude: p.latitude - d, longitude: p.longitude },
    { latitude: p.latitude, longitude: p.longitude + d },
    { latitude: p.latitude, longitude: p.longitude - d },
  ].every((q) => pointInPolygon(q, ring));
}

/**
 * A point inside the area: `clustered` gathers points around the centre as homes
 * and shops gather, `anywhere` spreads them evenly (farms, lanes, laybys).
 */
export function randomPointIn(area: DemoArea, rng: Rng, spread: 'clustered' | 'anywhere'): LatLng {
  const lats = area.boundary.map((p) => p.latitude);
  const lngs = area.boundary.map((p) => p.longitude);
  const [minLat, maxLat, minLng, maxLng] = [Math.min(...lats), Math.max(...lats), Math.min(...lngs), Math.max(...lngs)];
  for (let attempt = 0; attempt < 1000; attempt++) {
    const p =
      spread === 'clustered'
        ? offsetKm(area.centre, rng.normal() * area.spreadKm, rng.normal() * area.spreadKm)
        : { latitude: round6(rng.between(minLat, maxLat)), longitude: round6(rng.between(minLng, maxLng)) };
    if (wellInside(p, area.boundary)) return p;
  }
  // Unreachable with these shapes; the centre is always well inside.
  return area.centre;
}

/** The LSOA whose seed is nearest: a rough Voronoi split of the neighbourhood. */
export function lsoaAt(area: DemoArea, p: LatLng): DemoLsoa {
  let best = area.lsoas[0]!;
  let bestDistance = Infinity;
  for (const lsoa of area.lsoas) {
    const d = (lsoa.seed.latitude - p.latitude) ** 2 + ((lsoa.seed.longitude - p.longitude) * 0.61) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = lsoa;
    }
  }
  return best;
}

export const DEMO_AREAS: readonly DemoArea[] = buildAreas();

export function demoArea(id: string): DemoArea | undefined {
  return DEMO_AREAS.find((a) => a.id === id);
}
