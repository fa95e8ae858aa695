/**
 * What the /map-data routes do, apart from HTTP: which month is meant, the
 * viewport's clusters, one snap point's crimes and the publishing gaps.
 */
import type { AppContext } from '../app-context.ts';
import { crimesAtLocations } from '../crime/crime.repository.ts';
import { locationById } from '../crime/locations.repository.ts';
import { fail } from '../errors.ts';
import type { ClusterIndex, ClusterIndexCache } from './cluster-index.ts';
import { forceNames, outcomeHistories, streetPublications } from './map.repository.ts';
import { presentClusters, presentLocationDetails, presentMonths, type MonthSummary } from './map.presenter.ts';
import type { BBox } from './map.schema.ts';

/**
 * The month asked for, or the latest when none is; null when the store has no
 * street crime at all. A month outside the served window is a 400 that names the window.
 */
export async function resolveMapMonth(ctx: AppContext, month: string | undefined): Promise<string | null> {
  const served = await ctx.release.servedMonths();
  const latest = served[0];
  if (!latest) return null;
  if (month === undefined) return latest;
  const earliest = served[served.length - 1]!;
  if (month > latest || month < earliest) {
    fail('SC_ERR_BAD_MAP_QUERY', `month ${month} is not served: the map covers ${earliest} to ${latest} (GET /map-data/months lists the months with data)`);
  }
  return month;
}

/** The cluster index of a month and category, built from the shared month index on first use. */
export async function clusterIndexFor(ctx: AppContext, cache: ClusterIndexCache, month: string, category: string | null): Promise<ClusterIndex> {
  const version = await ctx.release.version();
  return cache.get(version, month, category, () => ctx.monthIndex.get(month, version));
}

/** The viewport's clusters (or snap points from the unclustered zoom on) as GeoJSON. */
export async function viewportClusters(
  ctx: AppContext,
  cache: ClusterIndexCache,
  query: { bbox: BBox; zoom: number; month?: string | undefined; category?: string | null | undefined },
) {
  const category = query.category ?? null;
  const month = await resolveMapMonth(ctx, query.month);
  if (!month) return presentClusters(null, [], query.zoom, null, category, () => 0);
  const index = await clusterIndexFor(ctx, cache, month, category);
  const { minLng, minLat, maxLng, maxLat } = query.bbox;
  const found = index.clusters.getClusters([minLng, minLat, maxLng, maxLat], query.zoom);
  return presentClusters(index, found, query.zoom, month, category, (id) => index.clusters.getClusterExpansionZoom(id));
}

/** The zoom at which a cluster splits into more than one feature. */
export async function clusterExpansion(ctx: AppContext, cache: ClusterIndexCache, query: { id: number; month?: string | undefined; category?: string | null | undefined }) {
  const category = query.category ?? null;
  const month = await resolveMapMonth(ctx, query.month);
  if (!month) fail('SC_ERR_MAP_UNKNOWN_CLUSTER', 'No crime data has been imported, so there are no clusters');
  const index = await clusterIndexFor(ctx, cache, month, category);
  try {
    // getChildren throws for an id supercluster never made; getClusterExpansionZoom alone
    // would answer some zoom for ids that decode to a zoom past the last one.
    index.clusters.getChildren(query.id);
    return { clusterId: query.id, month, category, expansionZoom: index.clusters.getClusterExpansionZoom(query.id) };
  } catch {
    // supercluster throws for ids it never made; ids are only meaningful with the same month and category.
    return fail('SC_ERR_MAP_UNKNOWN_CLUSTER', `No cluster ${query.id} in ${month}${category ? ` for ${category}` : ''}: pass the month and category of the clusters request that gave the id`);
  }
}

/** Every crime at one snap point in the month, with outcome histories. */
export async function locationDetails(ctx: AppContext, locationId: number, query: { month?: string | undefined; category?: string | null | undefined }) {
  const category = query.category ?? null;
  const point = await locationById(ctx.store.db, locationId);
  if (!point) fail('SC_ERR_MAP_UNKNOWN_LOCATION', `No map location ${locationId}: use a locationId from /map-data/clusters`);
  const month = await resolveMapMonth(ctx, query.month);
  const rows = month ? await crimesAtLocations(ctx.store, month, [point.id], category) : [];
  rows.sort((a, b) => a.id - b.id);
  const histories = await outcomeHistories(ctx.store.db, rows.map((r) => r.persistent_id));
  return presentLocationDetails(point, month, category, rows, histories);
}

/**
 * Months with street crime in the served window and, for each, the forces that
 * did not publish. Only months from the store's first street month on count, so a
 * store started recently does not report years of "gaps" before its first import.
 */
export async function publishingMonths(ctx: AppContext, forceId: string | undefined) {
  const forces = await forceNames(ctx.store.db, forceId ?? null);
  if (forceId && forces.length === 0) fail('SC_ERR_MAP_UNKNOWN_FORCE', `No force "${forceId}": force ids are listed by GET /api/forces`);
  const served = await ctx.release.servedMonths();
  const latest = served[0];
  if (!latest) return presentMonths(null, null, [], []);
  const from = served[served.length - 1]!;
  // Which months have data is judged across every force, even when one force is asked about.
  const all = await streetPublications(ctx.store.db, from, latest, null);
  const months = [...new Set(all.map((p) => p.month))].sort().reverse();
  const published = new Set(all.map((p) => `${p.force_id}|${p.month}`));
  const publishing = new Set(all.map((p) => p.force_id));
  const name = new Map(forces.map((f) => [f.id, f.name]));
  // Unlisted forces (btp) count only once they have published something.
  const considered = forces.filter((f) => publishing.has(f.id));
  const summaries: MonthSummary[] = months.map((month) => {
    const inMonth = all.filter((p) => p.month === month && (!forceId || p.force_id === forceId));
    return {
      month,
      crimes: inMonth.reduce((sum, p) => sum + p.rows, 0),
      published: inMonth.map((p) => ({ id: p.force_id, name: name.get(p.force_id) ?? p.force_id })),
      missing: considered.filter((f) => !published.has(`${f.id}|${month}`)).map((f) => ({ id: f.id, name: f.name })),
    };
  });
  const withoutData = forces.filter((f) => f.listed === 1 && !publishing.has(f.id)).map((f) => ({ id: f.id, name: f.name }));
  return presentMonths(latest, { from, to: latest, months: served.length }, summaries, withoutData);
}
