/**
 * Gathers what the neighbourhood and trends pages show. Reads run side by side
 * and the crime figures come from one grouped query over the snap points inside
 * the boundary, which is what keeps the page fast on a national store.
 */
import { addMonths } from '../api/data-release.ts';
import { AppError } from '../errors.ts';
import { findForce, type ForceRecord } from '../forces/forces.repository.ts';
import { londonNow } from '../neighbourhoods/london-time.ts';
import type { NeighbourhoodEvent } from '../neighbourhoods/neighbourhood.types.ts';
import {
  findNeighbourhood,
  listPriorities,
  listUpcomingEvents,
  type NeighbourhoodRecord,
} from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Store } from '../store/store.ts';
import { listPublicTeam } from '../staff/team.repository.ts';
import { boundaryOutline, type Outline } from './boundary-outline.ts';
import { countsAtLocations, countsAtLocationsBetween, forceCountsBetween, publishedStreetMonths, snapPointIdsInBoundary } from './crime-counts.repository.ts';
import { presentCrimeSummary, type CrimeSummary } from './crime-summary.presenter.ts';
import {
  presentEvents,
  presentNeighbourhood,
  presentPriorities,
  presentTeam,
  type EventView,
  type NeighbourhoodView,
  type PriorityView,
  type TeamMember,
} from './neighbourhood-page.presenter.ts';
import { presentTrends, trendMonths, type TrendTable } from './trends.presenter.ts';

/** `force/id`, the form the crime map takes a neighbourhood in. */
export const neighbourhoodKey = (forceId: string, id: string) => `${forceId}/${id}`;

/** The page's own path, each id encoded (NI ids contain spaces). */
export const neighbourhoodPath = (forceId: string, id: string) => `/neighbourhoods/${encodeURIComponent(forceId)}/${encodeURIComponent(id)}`;

/** Everything the neighbourhood page template prints. */
export interface NeighbourhoodPage {
  force: { id: string; name: string; telephone: string | null };
  neighbourhood: NeighbourhoodView;
  path: string;
  mapHref: string;
  /** Neighbourhood Watch schemes nearest this neighbourhood. */
  watchHref: string;
  outline: Outline | null;
  team: TeamMember[];
  priorities: PriorityView[];
  events: EventView[];
  summary: CrimeSummary | null;
}

/** The force and neighbourhood, or the not-found error the site renders as its 404 page. */
export async function requireNeighbourhood(store: Store, forceId: string, id: string): Promise<{ force: ForceRecord; neighbourhood: NeighbourhoodRecord }> {
  const [force, neighbourhood] = await Promise.all([findForce(store.db, forceId), findNeighbourhood(store.db, forceId, id)]);
  if (!force || !neighbourhood) throw new AppError('SC_ERR_UNKNOWN_NEIGHBOURHOOD');
  return { force, neighbourhood };
}

/** Everything the neighbourhood page shows; `now` decides which events are still to come. */
export async function loadNeighbourhoodPage(store: Store, forceId: string, id: string, now: Date): Promise<NeighbourhoodPage> {
  const { force, neighbourhood } = await requireNeighbourhood(store, forceId, id);
  const [people, priorities, events, published, pointIds] = await Promise.all([
    // With the photos their members agreed to publish (src/staff/).
    listPublicTeam(store.db, forceId, id),
    listPriorities(store.db, forceId, id),
    listUpcomingEvents(store.db, forceId, id, londonNow(now)),
    publishedStreetMonths(store, forceId),
    snapPointIdsInBoundary(store, neighbourhood.boundary),
  ]);
  const latest = published[0];
  let summary: CrimeSummary | null = null;
  if (latest) {
    const months = [latest, addMonths(latest, -1), addMonths(latest, -12)];
    const counts = await countsAtLocations(store, pointIds, months);
    summary = presentCrimeSummary(latest, counts, new Set(published), neighbourhoodKey(forceId, id));
  }
  const path = neighbourhoodPath(forceId, id);
  return {
    force: { id: force.id, name: force.name, telephone: force.telephone },
    neighbourhood: presentNeighbourhood(neighbourhood),
    path,
    mapHref: `/map?${new URLSearchParams({ neighbourhood: neighbourhoodKey(forceId, id) })}`,
    watchHref: `/watch?${new URLSearchParams({ neighbourhood: neighbourhoodKey(forceId, id) })}`,
    outline: boundaryOutline(neighbourhood.boundary),
    team: presentTeam(people),
    priorities: presentPriorities(priorities),
    events: presentEvents(events, path),
    summary,
  };
}

/** Upcoming events only: a calendar of past meetings is of no use to anyone. */
export async function loadUpcomingEvents(store: Store, forceId: string, id: string, now: Date): Promise<{ neighbourhood: NeighbourhoodRecord; events: NeighbourhoodEvent[] }> {
  const { neighbourhood } = await requireNeighbourhood(store, forceId, id);
  return { neighbourhood, events: await listUpcomingEvents(store.db, forceId, id, londonNow(now)) };
}

/** A trends page's title and table; no table when the force has published nothing. */
export interface TrendsPage {
  title: string;
  table: TrendTable | null;
}

/** The trend months end at the force's latest published month; null when it has published none. */
async function trendWindow(store: Store, forceId: string): Promise<{ months: string[]; published: Set<string> } | null> {
  const published = await publishedStreetMonths(store, forceId);
  const latest = published[0];
  return latest ? { months: trendMonths(latest), published: new Set(published) } : null;
}

/** Monthly counts at the snap points inside the neighbourhood boundary. */
export async function loadNeighbourhoodTrends(store: Store, forceId: string, id: string): Promise<TrendsPage & { neighbourhood: NeighbourhoodRecord; force: ForceRecord }> {
  const { force, neighbourhood } = await requireNeighbourhood(store, forceId, id);
  const [window, pointIds] = await Promise.all([trendWindow(store, forceId), snapPointIdsInBoundary(store, neighbourhood.boundary)]);
  if (!window) return { force, neighbourhood, title: neighbourhood.name, table: null };
  const counts = await countsAtLocationsBetween(store, pointIds, window.months[0]!, window.months[window.months.length - 1]!);
  return { force, neighbourhood, title: neighbourhood.name, table: presentTrends(window.months, counts, window.published) };
}

/** Monthly counts of all the force's own crimes, located or not. */
export async function loadForceTrends(store: Store, forceId: string): Promise<TrendsPage & { force: ForceRecord }> {
  const force = await findForce(store.db, forceId);
  if (!force) throw new AppError('SC_ERR_UNKNOWN_FORCE');
  const window = await trendWindow(store, forceId);
  if (!window) return { force, title: force.name, table: null };
  const counts = await forceCountsBetween(store, forceId, window.months[0]!, window.months[window.months.length - 1]!);
  return { force, title: force.name, table: presentTrends(window.months, counts, window.published) };
}
