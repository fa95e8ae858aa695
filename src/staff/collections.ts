/**
 * The lists a team edits row by row: priorities, events and police stations.
 * collection.routes.ts gives each the same pages (list, add, change, remove);
 * these specs say how each is stored, validated, shown and audited.
 */
import type { Kysely } from 'kysely';
import type { NeighbourhoodEvent, NeighbourhoodLocation, NeighbourhoodPriority } from '../neighbourhoods/neighbourhood.types.ts';
import { eventWhen, shortDate } from '../neighbourhood-page/neighbourhood-page.presenter.ts';
import { londonNow } from '../neighbourhoods/london-time.ts';
import type { Database } from '../store/database.ts';
import type { FormFields, Parsed } from '../site/forms.ts';
import { deleteItem, insertEvent, insertPriority, listEventRows, listPriorityRows, updateEvent, updatePriority, type Positioned } from './items.repository.ts';
import { EVENT_DATE_FIELDS, PRIORITY_DATE_FIELDS, parseEvent, parsePriority, parseStation } from './items.schema.ts';
import type { Db } from './staff.repository.ts';
import { neighbourhoodLocations, saveLocations } from './staff.repository.ts';
import { typedLine, typedParagraphs } from './stored-text.ts';

export interface CollectionSpec<T> {
  /** URL segment under the neighbourhood: `/staff/neighbourhoods/{force}/{id}/{slug}`. */
  slug: string;
  /** Banner key and audit part. */
  noun: 'priority' | 'event' | 'station';
  label: { one: string; many: string };
  listTemplate: string;
  formTemplate: string;
  dateFields: readonly string[];
  list(db: Kysely<Database>, forceId: string, id: string): Promise<Positioned<T>[]>;
  parse(fields: FormFields): Parsed<T>;
  /** A stored row as the form's fields. */
  toFields(item: T): FormFields;
  /** A stored row as the list and confirmation pages show it. */
  view(item: T): Record<string, unknown>;
  /** A short name for the confirmation page. */
  describe(item: T): string;
  /** What the audit entry says about the row, beyond the part: no personal data. */
  auditDetails(item: T, position: number): Record<string, unknown>;
  /** Adds the row after the others; returns its position. */
  insert(trx: Db, forceId: string, id: string, item: T): Promise<number>;
  /** False when the row is gone. */
  update(trx: Db, forceId: string, id: string, position: number, item: T): Promise<boolean>;
  remove(trx: Db, forceId: string, id: string, position: number): Promise<boolean>;
}

/** `YYYY-MM-DD…` as the three boxes of a date input. */
function dateBoxes(prefix: string, value: string | null): FormFields {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return m ? { [`${prefix}-day`]: String(Number(m[3])), [`${prefix}-month`]: String(Number(m[2])), [`${prefix}-year`]: m[1]! } : {};
}

const firstWords = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export const PRIORITIES: CollectionSpec<NeighbourhoodPriority> = {
  slug: 'priorities',
  noun: 'priority',
  label: { one: 'priority', many: 'Priorities' },
  listTemplate: 'priorities.njk',
  formTemplate: 'priority-form.njk',
  dateFields: PRIORITY_DATE_FIELDS,
  list: listPriorityRows,
  parse: parsePriority,
  toFields: (p) => ({ issue: typedParagraphs(p.issue), action: typedParagraphs(p.action), ...dateBoxes('issueDate', p.issue_date), ...dateBoxes('actionDate', p.action_date) }),
  view: (p) => ({ issue: typedParagraphs(p.issue), issueDate: shortDate(p.issue_date), action: typedParagraphs(p.action), actionDate: shortDate(p.action_date) }),
  describe: (p) => firstWords(typedLine(p.issue)),
  auditDetails: (_p, position) => ({ part: 'priority', position }),
  insert: insertPriority,
  update: updatePriority,
  remove: (trx, forceId, id, position) => deleteItem(trx, 'neighbourhood_priorities', forceId, id, position),
};

export const EVENTS: CollectionSpec<NeighbourhoodEvent> = {
  slug: 'events',
  noun: 'event',
  label: { one: 'event', many: 'Events' },
  listTemplate: 'events.njk',
  formTemplate: 'event-form.njk',
  dateFields: EVENT_DATE_FIELDS,
  list: listEventRows,
  parse: parseEvent,
  toFields: (e) => ({
    title: typedLine(e.title),
    type: typedLine(e.type),
    description: typedParagraphs(e.description),
    address: typedLine(e.address),
    ...dateBoxes('startDate', e.start_date),
    startTime: e.start_date.slice(11, 16),
    ...(e.end_date ? { ...dateBoxes('endDate', e.end_date), endTime: e.end_date.slice(11, 16) } : {}),
  }),
  view: (e) => ({ title: typedLine(e.title), type: typedLine(e.type), when: eventWhen(e.start_date, e.end_date), address: typedLine(e.address), past: (e.end_date ?? e.start_date) < londonNow(new Date()) }),
  describe: (e) => `${typedLine(e.title)}, ${eventWhen(e.start_date, e.end_date)}`,
  auditDetails: (e, position) => ({ part: 'event', position, title: firstWords(typedLine(e.title)) }),
  insert: insertEvent,
  update: updateEvent,
  remove: (trx, forceId, id, position) => deleteItem(trx, 'neighbourhood_events', forceId, id, position),
};

async function readLocations(db: Db, forceId: string, id: string): Promise<NeighbourhoodLocation[]> {
  return neighbourhoodLocations(db, forceId, id);
}

/** Stations live in the neighbourhood's `locations` list; a row's position is its index there. */
export const STATIONS: CollectionSpec<NeighbourhoodLocation> = {
  slug: 'stations',
  noun: 'station',
  label: { one: 'police station', many: 'Police stations' },
  listTemplate: 'stations.njk',
  formTemplate: 'station-form.njk',
  dateFields: [],
  list: async (db, forceId, id) => (await readLocations(db, forceId, id)).map((item, position) => ({ position, item })),
  parse: parseStation,
  toFields: (s) => ({
    name: typedLine(s.name),
    address: typedLine(s.address),
    postcode: s.postcode ?? '',
    telephone: s.telephone ?? '',
    openingTimes: typedParagraphs(s.description),
  }),
  view: (s) => ({ name: typedLine(s.name) || 'Police station', address: typedLine(s.address), postcode: s.postcode, telephone: s.telephone ?? null, openingTimes: typedParagraphs(s.description) }),
  describe: (s) => typedLine(s.name) || 'Police station',
  auditDetails: (s, position) => ({ part: 'station', position, name: firstWords(typedLine(s.name)) }),
  insert: async (trx, forceId, id, s) => {
    const all = [...(await readLocations(trx, forceId, id)), s];
    await saveLocations(trx, forceId, id, all);
    return all.length - 1;
  },
  update: async (trx, forceId, id, position, s) => {
    const all = await readLocations(trx, forceId, id);
    const old = all[position];
    if (!old) return false;
    // The form does not edit the map position or the type: keep what upstream gave.
    all[position] = { ...s, type: old.type, latitude: old.latitude, longitude: old.longitude };
    await saveLocations(trx, forceId, id, all);
    return true;
  },
  remove: async (trx, forceId, id, position) => {
    const all = await readLocations(trx, forceId, id);
    if (!all[position]) return false;
    all.splice(position, 1);
    await saveLocations(trx, forceId, id, all);
    return true;
  },
};
