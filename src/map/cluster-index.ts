/**
 * Clusters of one month's snap points for the map, built with supercluster
 * from the in-memory month index (so crimes are read from the store once per
 * month, not once per map feature). Each (data version, month, category) is
 * built once and kept in a small LRU: building a national month takes about a
 * second, answering a viewport from it well under a millisecond.
 */
import Supercluster from 'supercluster';
import { CRIME_CATEGORIES } from '../crime/categories.ts';
import type { MonthIndex } from '../crime/month-index.ts';

/** From this zoom (MapLibre's numbering) every snap point is its own feature. */
export const UNCLUSTERED_FROM_ZOOM = 15;
/** Cluster radius in screen pixels on a MapLibre map (512-pixel tiles, hence extent 512). */
const RADIUS_PX = 60;

/** Category slugs in a fixed order, so counts travel as arrays rather than objects. */
export const CATEGORY_SLUGS: readonly string[] = [
  ...CRIME_CATEGORIES.filter((c) => c.url !== 'all-crime').map((c) => c.url),
  'public-disorder-weapons',
];
const slotBySlug = new Map(CATEGORY_SLUGS.map((slug, i) => [slug, i]));
// The importer only stores known slugs; anything else is counted as other crime rather than lost.
const otherSlot = slotBySlug.get('other-crime')!;

/** A snap point as given to supercluster: its position in the month index and its crime count. */
export interface PointProps {
  i: number;
  n: number;
}

/** What a cluster accumulates: crimes, and crimes by category slot. */
export interface ClusterProps {
  n: number;
  c: number[];
  /** The props object that owns `c` and may add to it in place (see reduce). */
  o?: ClusterProps;
}

export interface ClusterIndex {
  month: string;
  /** null means all crime. */
  category: string | null;
  monthIndex: MonthIndex;
  clusters: Supercluster<PointProps, ClusterProps>;
  /** Placed crimes and snap points in the index. */
  crimes: number;
  locations: number;
  buildMs: number;
}

/** Crimes at one snap point by category slot, optionally only one category. */
export function categoryCounts(monthIndex: MonthIndex, pointIndex: number, category: string | null): number[] {
  const counts = new Array<number>(CATEGORY_SLUGS.length).fill(0);
  for (const crime of monthIndex.crimes[pointIndex] ?? []) {
    if (category && crime.category !== category) continue;
    const slot = slotBySlug.get(crime.category) ?? otherSlot;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}

/**
 * Builds the clusters of a month, all crime or one category.
 * @example const index = buildClusterIndex(await monthIndex.get('2025-02', version), 'burglary');
 */
export function buildClusterIndex(monthIndex: MonthIndex, category: string | null): ClusterIndex {
  const started = performance.now();
  const features: Supercluster.PointFeature<PointProps>[] = [];
  let crimes = 0;
  monthIndex.points.forEach((point, i) => {
    const atPoint = monthIndex.crimes[i] ?? [];
    const n = category ? atPoint.reduce((sum, crime) => sum + (crime.category === category ? 1 : 0), 0) : atPoint.length;
    if (n === 0) return;
    crimes += n;
    features.push({ type: 'Feature', properties: { i, n }, geometry: { type: 'Point', coordinates: [point.longitude, point.latitude] } });
  });
  const clusters = new Supercluster<PointProps, ClusterProps>({
    maxZoom: UNCLUSTERED_FROM_ZOOM - 1,
    radius: RADIUS_PX,
    extent: 512,
    // Category counts are computed when a point first joins a cluster, not stored on
    // every point: supercluster maps each point once, and the points stay small.
    map: (props) => ({ n: props.n, c: categoryCounts(monthIndex, props.i, category) }),
    // supercluster starts a cluster from a shallow copy of its first member's
    // properties, so `c` may still be that member's array: copy it once, then add
    // in place (one array per cluster rather than one per merge).
    reduce: (acc, props) => {
      if (acc.o !== acc) {
        acc.c = acc.c.slice();
        acc.o = acc;
      }
      acc.n += props.n;
      const add = props.c;
      for (let k = 0; k < add.length; k++) acc.c[k] = (acc.c[k] ?? 0) + (add[k] ?? 0);
    },
  });
  clusters.load(features);
  return { month: monthIndex.month, category, monthIndex, clusters, crimes, locations: features.length, buildMs: performance.now() - started };
}

/**
 * Built cluster indexes by (data version, month, category), most recently used
 * kept. A new data version (an import) drops them all, as the month index does.
 * Concurrent requests for the same key share one build.
 */
export class ClusterIndexCache {
  private readonly entries = new Map<string, Promise<ClusterIndex>>();
  private version: string | undefined;

  constructor(private readonly capacity: number) {}

  /** The cached index, or one built from the month index `load` gives. */
  async get(version: string, month: string, category: string | null, load: () => Promise<MonthIndex>): Promise<ClusterIndex> {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const key = `${month}|${category ?? ''}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // re-inserted below as the most recently used
    } else {
      entry = load().then((monthIndex) => buildClusterIndex(monthIndex, category));
      entry.catch(() => this.entries.delete(key));
    }
    this.entries.set(key, entry);
    while (this.entries.size > Math.max(1, this.capacity)) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
