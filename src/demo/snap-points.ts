/**
 * Snap points: the anonymised map points every crime is moved to, as upstream
 * does. A few hundred of them, named like upstream's (`On or near High Street`,
 * `On or near Supermarket`), with very uneven popularity so some hold dozens of
 * crimes a month and most only a few.
 */
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import { DEMO_AREAS, lsoaAt, randomPointIn, type DemoArea, type DemoLsoa } from './geography.ts';
import { Rng } from './random.ts';

/** What kind of place a point is: crimes of each category favour some kinds (shoplifting at shops, vehicle crime in car parks). */
export type PlaceKind = 'main' | 'street' | 'retail' | 'night' | 'parking' | 'open' | 'transport' | 'public';

export interface SnapPoint {
  areaId: string;
  /** As published: `On or near …`. */
  name: string;
  kind: PlaceKind;
  point: LatLng;
  lsoa: DemoLsoa;
  /** Relative share of its neighbourhood's crime. */
  popularity: number;
}

const MAIN_STREETS = ['High Street', 'Market Place', 'Bridge Street', 'Station Road', 'Sheep Street', 'London Road', 'King Street'];

const STREET_STEMS = [
  'Church', 'Mill', 'Chapel', 'School', 'Park', 'Victoria', "Queen's", "King's", 'Manor', 'Orchard', 'Meadow', 'Willow',
  'Oak', 'Ash', 'Elm', 'Beech', 'Cedar', 'Holly', 'Rectory', 'Vicarage', 'Grange', 'Priory', 'Abbey', 'Castle', 'Well',
  'Spring', 'Brook', 'River', 'Ferry', 'Marsh', 'Fen', 'Heath', 'Common', 'Forge', 'Kiln', 'Tannery', 'Malting',
  'Windmill', 'Cross', 'Long', 'Back', 'Nelson', 'Wellington', 'Albert', 'Alexandra', 'Jubilee', 'Coronation', 'Hall',
  'Farm', 'Pound', 'Pond', 'Sandy', 'Chalk', 'Flint', 'Linden', 'Hawthorn', 'Rowan', 'Bramble', 'Foxglove', 'Heron',
  'Kingfisher', 'Swan', 'Lark', 'Thetis', 'Gorse', 'Bracken', 'Warren', 'Rabbit', 'Drovers', 'Pilgrims', 'Saxon', 'Roman',
];
const STREET_SUFFIXES = ['Street', 'Road', 'Lane', 'Close', 'Way', 'Avenue', 'Drive', 'Gardens', 'Crescent', 'Place', 'Walk', 'Court', 'Row', 'Terrace', 'Mews', 'Rise', 'View', 'Grove'];

/** Upstream's point-of-interest names, with how many of each a neighbourhood of that kind has. */
const POIS: readonly { name: string; kind: PlaceKind; town: number; suburb: number; rural: number }[] = [
  { name: 'Supermarket', kind: 'retail', town: 3, suburb: 2, rural: 1 },
  { name: 'Shopping Area', kind: 'retail', town: 3, suburb: 1, rural: 0 },
  { name: 'Petrol Station', kind: 'retail', town: 1, suburb: 1, rural: 1 },
  { name: 'Parking Area', kind: 'parking', town: 4, suburb: 2, rural: 1 },
  { name: 'Nightclub', kind: 'night', town: 2, suburb: 0, rural: 0 },
  { name: 'Theatre/Concert Hall', kind: 'night', town: 1, suburb: 0, rural: 0 },
  { name: 'Park/Open Space', kind: 'open', town: 2, suburb: 2, rural: 1 },
  { name: 'Sports/Recreation Area', kind: 'open', town: 1, suburb: 1, rural: 1 },
  { name: 'Bus/Coach Station', kind: 'transport', town: 1, suburb: 0, rural: 0 },
  { name: 'Pedestrian Subway', kind: 'transport', town: 1, suburb: 1, rural: 0 },
  { name: 'Hospital', kind: 'public', town: 1, suburb: 0, rural: 0 },
  { name: 'Police Station', kind: 'public', town: 1, suburb: 0, rural: 0 },
  { name: 'Further/Higher Educational Building', kind: 'public', town: 1, suburb: 1, rural: 0 },
  { name: 'Conference/Exhibition Centre', kind: 'public', town: 1, suburb: 0, rural: 0 },
];

const STREETS_PER_AREA: Record<DemoArea['kind'], number> = { town: 36, suburb: 26, rural: 18 };
const MAIN_PER_AREA: Record<DemoArea['kind'], number> = { town: 5, suburb: 2, rural: 1 };
/** Share of all crime each kind of neighbourhood carries (before dividing by how many there are). */
export const AREA_WEIGHT: Record<DemoArea['kind'], number> = { town: 5, suburb: 2.2, rural: 1 };
const KIND_PULL: Record<PlaceKind, number> = { main: 3, street: 1, retail: 2.5, night: 2, parking: 1.5, open: 1.3, transport: 1.5, public: 1 };
/** Zipf exponent: near 1, a handful of points take much of an area's crime. */
const ZIPF = 0.85;

function pointsFor(area: DemoArea): SnapPoint[] {
  const rng = new Rng(`demo-snap-${area.id}`);
  const places: { name: string; kind: PlaceKind }[] = [];
  const mains = area.kind === 'rural' ? ['The Street'] : MAIN_STREETS;
  for (const name of mains.slice(0, MAIN_PER_AREA[area.kind])) places.push({ name, kind: 'main' });
  const stems = rng.shuffle(STREET_STEMS);
  const used = new Set(places.map((p) => p.name));
  for (let i = 0; places.length < MAIN_PER_AREA[area.kind] + STREETS_PER_AREA[area.kind]; i++) {
    const name = `${stems[i % stems.length]!} ${rng.pick(STREET_SUFFIXES)}`;
    if (!used.has(name)) {
      used.add(name);
      places.push({ name, kind: 'street' });
    }
  }
  for (const poi of POIS) {
    for (let i = 0; i < poi[area.kind]; i++) places.push({ name: poi.name, kind: poi.kind });
  }
  // Shuffled before ranking, so popularity is not tied to list order; main streets then get a pull of their own.
  const ranked = rng.shuffle(places);
  const raw = ranked.map((p, rank) => KIND_PULL[p.kind] / (rank + 1) ** ZIPF);
  const sum = raw.reduce((s, w) => s + w, 0);
  return ranked.map((p, i) => {
    // Busy places are in the middle of things; quiet lanes anywhere.
    const point = randomPointIn(area, rng, p.kind === 'street' && rng.chance(0.4) ? 'anywhere' : 'clustered');
    return {
      areaId: area.id,
      name: `On or near ${p.name}`,
      kind: p.kind,
      point,
      lsoa: lsoaAt(area, point),
      popularity: (raw[i]! / sum) * AREA_WEIGHT[area.kind],
    };
  });
}

function buildSnapPoints(): SnapPoint[] {
  const all = DEMO_AREAS.flatMap(pointsFor);
  // Two places drawn onto the same coordinates would merge into one location; nudge the later one.
  const seen = new Set<string>();
  for (const s of all) {
    while (seen.has(`${s.point.latitude}|${s.point.longitude}`)) {
      s.point = { latitude: s.point.latitude, longitude: Math.round((s.point.longitude + 0.000011) * 1e6) / 1e6 };
    }
    seen.add(`${s.point.latitude}|${s.point.longitude}`);
  }
  return all;
}

export const SNAP_POINTS: readonly SnapPoint[] = buildSnapPoints();
