/**
 * What the map page and the list view show: the filters with the months that
 * have data, the honest notes (snap points, months a force did not publish), and
 * for the list the month's crimes in an area grouped by snap point, a page at a time.
 */
import type { AppContext } from '../app-context.ts';
import { polygonArea, type Area } from '../geo/area.ts';
import { crimesAtLocations, type CrimeRow } from '../crime/crime.repository.ts';
import { locationsInArea, type SnapPoint } from '../crime/locations.repository.ts';
import { findNeighbourhood, listNeighbourhoods } from '../neighbourhoods/neighbourhoods.repository.ts';
import { outcomeHistories } from '../map/map.repository.ts';
import { LOCATION_CAVEAT, presentLocationDetails } from '../map/map.presenter.ts';
import { publishingMonths } from '../map/map.service.ts';
import { boxOf } from '../geo/geo.ts';
import { forcesWithNeighbourhoods, neighbourhoodsExtent } from './crime-map.repository.ts';
import { parseCircle, parseDrawnPolygon } from './drawn-area.ts';
import type { FieldError } from '../site/forms.ts';
import { CATEGORY_OPTIONS, monthName, one, readFilters, readView, type Filters, type MapView } from './page-query.ts';

export const GROUPS_PER_PAGE = 20;
/** Where the map opens on an empty store: the middle of Great Britain. */
const FALLBACK_VIEW: MapView = { lat: 54.0, lng: -2.5, zoom: 5 };

export interface DataNotes {
  caveat: string;
  /** Sentences about forces that did not publish, for the month shown first. */
  gaps: string[];
}

export interface FilterModel {
  filters: Filters;
  /** The month shown: the one asked for, else the latest; null on an empty store. */
  month: string | null;
  monthOptions: { value: string; text: string; selected: boolean }[];
  categoryOptions: { value: string; text: string; selected: boolean }[];
  notes: DataNotes;
  /** What was wrong with the query, for the page's error summary. */
  problems: FieldError[];
}

/** Filters, their options and the notes about the data, for any of the map pages. */
export async function filterModel(ctx: AppContext, query: unknown): Promise<FilterModel> {
  const published = await publishingMonths(ctx, undefined);
  const months = published.months.map((m) => m.month);
  const problems: FieldError[] = [];
  const filters = readFilters(query, months, problems);
  const month = filters.month ?? published.latest;
  const gaps = [
    ...published.gaps.filter((g) => g.month === month).map((g) => g.message),
    ...published.gaps.filter((g) => g.month !== month).map((g) => g.message),
    ...published.forcesWithoutData.map((f) => f.message),
  ];
  return {
    filters,
    month,
    monthOptions: months.map((m) => ({ value: m, text: monthName(m), selected: m === month })),
    categoryOptions: CATEGORY_OPTIONS.map((c) => ({ ...c, selected: c.value === (filters.category ?? 'all-crime') })),
    notes: { caveat: LOCATION_CAVEAT, gaps },
    problems,
  };
}

/** A view that frames the box on a map about 900 pixels wide. */
function framing(box: { minLat: number; maxLat: number; minLng: number; maxLng: number }): MapView {
  return {
    lat: +((box.minLat + box.maxLat) / 2).toFixed(5),
    lng: +((box.minLng + box.maxLng) / 2).toFixed(5),
    // A 512-pixel world at zoom 0.
    zoom: Math.max(5, Math.min(15, Math.floor(Math.log2((900 / 512) * (360 / Math.max(box.maxLng - box.minLng, 0.001)))))),
  };
}

/**
 * The map's starting view: the URL's centre and zoom, else the neighbourhood
 * asked for (links from neighbourhood pages), else one that frames every neighbourhood.
 */
export async function initialView(ctx: AppContext, query: unknown): Promise<MapView & { neighbourhood: string | null }> {
  const asked = readView(query);
  const key = one(query, 'neighbourhood');
  const [forceId, id] = key ? key.split('/') : [];
  const neighbourhood = forceId && id ? await findNeighbourhood(ctx.store.db, forceId, id) : undefined;
  const extent = neighbourhood && neighbourhood.boundary.length > 0 ? boxOf(neighbourhood.boundary) : await neighbourhoodsExtent(ctx.store.db);
  const framed = extent ? framing(extent) : FALLBACK_VIEW;
  return { lat: asked.lat ?? framed.lat, lng: asked.lng ?? framed.lng, zoom: asked.zoom ?? framed.zoom, neighbourhood: neighbourhood ? key! : null };
}

export type ListArea = { area: Area; description: string; params: Record<string, string> };

/** The list view's area: a neighbourhood, a drawn polygon or a circle; when none, `problems` says why. */
export async function readListArea(ctx: AppContext, query: unknown, problems: FieldError[]): Promise<ListArea | null> {
  const neighbourhood = one(query, 'neighbourhood');
  const poly = one(query, 'poly');
  const lat = one(query, 'lat');
  const lng = one(query, 'lng');
  if (neighbourhood) {
    const [forceId, id] = neighbourhood.split('/');
    const found = forceId && id ? await findNeighbourhood(ctx.store.db, forceId, id) : undefined;
    if (!found || found.boundary.length < 4) {
      problems.push({ field: 'neighbourhood', text: 'Choose a neighbourhood from the list' });
      return null;
    }
    return { area: polygonArea(found.boundary), description: found.name, params: { neighbourhood } };
  }
  const parsed = poly ? parseDrawnPolygon(poly) : lat !== undefined || lng !== undefined ? parseCircle(lat ?? '', lng ?? '', one(query, 'radius')) : null;
  if (!parsed) return null;
  if (!parsed.ok) {
    problems.push({ field: 'neighbourhood', text: parsed.message });
    return null;
  }
  const params: Record<string, string> = poly ? { poly } : { lat: lat ?? '', lng: lng ?? '' };
  const radius = one(query, 'radius');
  if (!poly && radius) params.radius = radius;
  return { area: parsed.value.area, description: parsed.value.description, params };
}

export async function neighbourhoodChoices(ctx: AppContext): Promise<{ value: string; text: string }[]> {
  const forces = await forcesWithNeighbourhoods(ctx.store.db);
  const choices: { value: string; text: string }[] = [];
  for (const force_id of forces) {
    for (const n of await listNeighbourhoods(ctx.store.db, force_id)) choices.push({ value: `${force_id}/${n.id}`, text: n.name });
  }
  return choices.sort((a, b) => a.text.localeCompare(b.text, 'en'));
}

/** "On or near Albert Lane", however the source spelt it: data.police.uk names already start so. */
export function placeName(street: string): string {
  const bare = street.replace(/^on or near\s+/i, '').trim();
  return bare === '' ? 'An unnamed place' : `On or near ${bare}`;
}

type PresentedCrime = ReturnType<typeof presentLocationDetails>['crimes'][number];

export interface StreetGroup {
  locationId: number;
  street: string;
  crimes: PresentedCrime[];
}

export interface CrimeListPage {
  groups: StreetGroup[];
  totalCrimes: number;
  totalGroups: number;
  page: number;
  pages: number;
}

/**
 * The month's crimes in the area grouped by snap point, sorted by street name so
 * people can find theirs; outcome histories are read only for the page shown.
 */
export async function crimeListPage(ctx: AppContext, area: Area, month: string, category: string | null, page: number): Promise<CrimeListPage> {
  const points = await locationsInArea(ctx.store.db, area);
  const rows = await crimesAtLocations(ctx.store, month, [...points.keys()], category);
  const byPoint = new Map<number, CrimeRow[]>();
  for (const row of rows) {
    if (row.location_id === null) continue;
    const list = byPoint.get(row.location_id);
    if (list) list.push(row);
    else byPoint.set(row.location_id, [row]);
  }
  const ordered = [...byPoint.keys()]
    .map((id) => points.get(id)!)
    .sort((a, b) => a.street_name.localeCompare(b.street_name, 'en') || a.id - b.id);
  const pages = Math.max(1, Math.ceil(ordered.length / GROUPS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = ordered.slice((current - 1) * GROUPS_PER_PAGE, current * GROUPS_PER_PAGE);
  const shownRows = shown.flatMap((p) => byPoint.get(p.id) ?? []);
  const histories = await outcomeHistories(ctx.store.db, shownRows.map((r) => r.persistent_id));
  const groups = shown.map((point: SnapPoint) => {
    const crimes = (byPoint.get(point.id) ?? []).sort((a, b) => a.category.localeCompare(b.category) || a.id - b.id);
    return { locationId: point.id, street: placeName(point.street_name), crimes: presentLocationDetails(point, month, category, crimes, histories).crimes };
  });
  return { groups, totalCrimes: rows.filter((r) => r.location_id !== null).length, totalGroups: ordered.length, page: current, pages };
}
