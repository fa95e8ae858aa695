/**
 * The only code that shapes /map-data JSON. These answers are for our own map
 * page, not data.police.uk clients, so they use camelCase, numbers as numbers,
 * and say in words what the data cannot tell (snap points, missing outcomes).
 */
import type Supercluster from 'supercluster';
import { ANTI_SOCIAL_BEHAVIOUR, CRIME_CATEGORIES, outcomeCode, outcomeName } from '../crime/categories.ts';
import type { CrimeRow, OutcomeEventRow } from '../crime/crime.repository.ts';
import type { SnapPoint } from '../crime/locations.repository.ts';
import { CATEGORY_SLUGS, categoryCounts, UNCLUSTERED_FROM_ZOOM, type ClusterIndex, type ClusterProps, type PointProps } from './cluster-index.ts';
import { NO_OUTCOME_YET, NO_OUTCOMES_FOR_ASB, outcomeExplanation } from './outcome-words.ts';

/** What every location answer says about where a crime is drawn. */
export const LOCATION_CAVEAT =
  'Crimes are shown at the nearest of a set of anonymous map points, each chosen to cover at least eight addresses, ' +
  'so a crime "on or near" a street happened on or near that street, not at the point on the map or at any particular address.';

const categoryNames = new Map<string, string>([...CRIME_CATEGORIES.map((c) => [c.url, c.name] as const), ['public-disorder-weapons', 'Public disorder and weapons']]);

/** A category slug with its display name. */
export function presentCategory(slug: string): { slug: string; name: string } {
  return { slug, name: categoryNames.get(slug) ?? slug.replace(/-/g, ' ') };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Non-zero counts keyed by slug: the legend and the pie of a cluster. */
function byCategory(counts: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  counts.forEach((n, slot) => {
    if (n > 0) out[CATEGORY_SLUGS[slot]!] = n;
  });
  return out;
}

type Found = Supercluster.ClusterFeature<ClusterProps> | Supercluster.PointFeature<PointProps>;

function isCluster(feature: Found): feature is Supercluster.ClusterFeature<ClusterProps> {
  return 'cluster' in feature.properties && feature.properties.cluster === true;
}

function presentFeature(index: ClusterIndex, feature: Found, expansionZoom: (clusterId: number) => number) {
  const [lng, lat] = feature.geometry.coordinates as [number, number];
  const geometry = { type: 'Point' as const, coordinates: [round6(lng), round6(lat)] };
  if (isCluster(feature)) {
    const p = feature.properties;
    return {
      type: 'Feature' as const,
      geometry,
      properties: { kind: 'cluster' as const, clusterId: p.cluster_id, crimes: p.n, locations: p.point_count, byCategory: byCategory(p.c), expansionZoom: expansionZoom(p.cluster_id) },
    };
  }
  const { i, n } = feature.properties;
  const point = index.monthIndex.points[i];
  return {
    type: 'Feature' as const,
    geometry,
    properties: {
      kind: 'location' as const,
      locationId: point?.id ?? null,
      street: point?.street_name ?? '',
      crimes: n,
      byCategory: byCategory(categoryCounts(index.monthIndex, i, index.category)),
    },
  };
}

/** The viewport's clusters and snap points as a GeoJSON FeatureCollection, with what they are of. */
export function presentClusters(index: ClusterIndex | null, found: Found[], zoom: number, month: string | null, category: string | null, expansionZoom: (clusterId: number) => number) {
  const features = index ? found.map((f) => presentFeature(index, f, expansionZoom)) : [];
  return {
    type: 'FeatureCollection' as const,
    features,
    meta: {
      month,
      category: category ? presentCategory(category) : null,
      zoom,
      clustered: zoom < UNCLUSTERED_FROM_ZOOM,
      unclusteredFromZoom: UNCLUSTERED_FROM_ZOOM,
      crimesInView: features.reduce((sum, f) => sum + f.properties.crimes, 0),
      note: 'Counts are of crimes placed on the map; crimes published without a location are not shown.',
    },
  };
}

function presentOutcomeEvent(event: OutcomeEventRow) {
  return { month: event.month, code: event.outcome_code, name: outcomeName(event.outcome_code), explanation: outcomeExplanation(event.outcome_code) };
}

/** The latest outcome as the crime record has it: from the outcomes files, else the street file's. */
function latestOutcome(row: CrimeRow) {
  if (row.persistent_id === '') return null;
  if (row.outcome_code && row.outcome_month) return presentOutcomeEvent({ month: row.outcome_month, outcome_code: row.outcome_code });
  if (row.last_outcome !== '') return presentOutcomeEvent({ month: row.month, outcome_code: outcomeCode(row.last_outcome) });
  return null;
}

function presentLocationCrime(row: CrimeRow, history: OutcomeEventRow[]) {
  const asb = row.category === ANTI_SOCIAL_BEHAVIOUR || row.persistent_id === '';
  const latest = latestOutcome(row);
  return {
    id: row.id,
    persistentId: row.persistent_id === '' ? null : row.persistent_id,
    category: presentCategory(row.category),
    month: row.month,
    context: row.context === '' ? null : row.context,
    latestOutcome: latest,
    latestOutcomeText: latest ? `${latest.name} (${latest.month}): ${latest.explanation}` : asb ? NO_OUTCOMES_FOR_ASB : NO_OUTCOME_YET,
    outcomes: history.map(presentOutcomeEvent),
    outcomesNote:
      row.category === ANTI_SOCIAL_BEHAVIOUR
        ? NO_OUTCOMES_FOR_ASB
        : row.persistent_id === ''
          ? 'This force published the crime without a crime id, so its outcomes cannot be linked to it.'
          : history.length === 0
            ? 'No outcomes file lists this crime yet; the latest outcome is the one the street file gives.'
            : null,
  };
}

/** Every crime at a snap point in a month, with outcome histories and the caveats the page shows. */
export function presentLocationDetails(point: SnapPoint, month: string | null, category: string | null, rows: CrimeRow[], histories: Map<string, OutcomeEventRow[]>) {
  return {
    location: { id: point.id, street: point.street_name, latitude: round6(point.latitude), longitude: round6(point.longitude), approximate: true },
    month,
    category: category ? presentCategory(category) : null,
    caveat: LOCATION_CAVEAT,
    crimes: rows.map((row) => presentLocationCrime(row, histories.get(row.persistent_id) ?? [])),
  };
}

export interface MonthSummary {
  month: string;
  /** Street-file rows the forces published, placed on the map or not. */
  crimes: number;
  published: { id: string; name: string }[];
  missing: { id: string; name: string }[];
}

/** The months with data, newest first, and in words which forces did not publish in which month. */
export function presentMonths(
  latest: string | null,
  window: { from: string; to: string; months: number } | null,
  months: MonthSummary[],
  withoutData: { id: string; name: string }[],
) {
  return {
    latest,
    window,
    months: months.map((m) => ({ month: m.month, crimesPublished: m.crimes, forcesPublished: m.published.map((f) => f.id), forcesMissing: m.missing.map((f) => f.id) })),
    gaps: months.flatMap((m) =>
      m.missing.map((f) => ({ force: f, month: m.month, message: `${f.name} did not publish street crime data for ${m.month}.` })),
    ),
    forcesWithoutData: withoutData.map((f) => ({ force: f, message: `${f.name} has published no street crime data in the months served.` })),
  };
}
