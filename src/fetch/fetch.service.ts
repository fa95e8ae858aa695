/**
 * Copies forces and neighbourhoods from a data.police.uk-compatible API into the
 * store: each force with its senior officers, then each of its neighbourhoods
 * with boundary, team, priorities and events, saved one neighbourhood per
 * transaction so an interrupted run leaves whole records behind.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { NeighbourhoodData } from '../neighbourhoods/neighbourhood.types.ts';
import { deleteNeighbourhoodsExcept, saveForce, saveNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Database } from '../store/database.ts';
import { locallyEditedNeighbourhoodIds } from '../staff/staff.repository.ts';
import { ApiClient, ApiError } from './api-client.ts';
import type { Clock } from './clock.ts';
import {
  boundarySchema,
  eventsSchema,
  forceDetailSchema,
  forceListSchema,
  neighbourhoodDetailSchema,
  neighbourhoodListSchema,
  peopleSchema,
  prioritiesSchema,
} from './upstream.schema.ts';

/** A problem the user must fix (wrong --api, unknown force, API down): reported as one clear line. */
export class FetchError extends Error {
  override name = 'FetchError';
}

export interface FetchOptions {
  /** Base URL of the API, e.g. `https://data.police.uk/api`. */
  api: string;
  /** Force ids to fetch; empty means every force the API lists. */
  forces: readonly string[];
  /** Requests per second. */
  rate: number;
  /** Neighbourhoods fetched at once (each is five requests); the pacer still caps the rate. */
  concurrency?: number;
  log?: (line: string) => void;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  maxRetries?: number;
  backoffMs?: number;
}

export interface FetchSummary {
  forces: string[];
  neighbourhoods: number;
  /** Neighbourhoods removed because the API no longer lists them. */
  removed: number;
  /** `force/id` of neighbourhoods staff have edited here: neither fetched over nor removed. */
  keptLocal: string[];
  failures: Array<{ item: string; error: string }>;
  requests: number;
  retries: number;
}

function parse<S extends z.ZodType>(schema: S, data: unknown, url: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new FetchError(`${url} answered in an unexpected shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`);
}

/** Turns the API client's errors on the first request into advice about --api. */
function explainFirstFailure(error: unknown, api: string): never {
  if (error instanceof ApiError) {
    if (error.kind === 'unreachable') throw new FetchError(`Cannot reach the API at ${api} (${error.reason}). Check --api and the network connection.`);
    if (error.kind === 'not-found' || error.kind === 'not-json') {
      throw new FetchError(`${api} does not look like a data.police.uk-compatible API (${error.message}). --api should be the API's base URL, such as https://data.police.uk/api.`);
    }
    throw new FetchError(`The API at ${api} failed: ${error.message}`);
  }
  throw error;
}

/**
 * Fetches the chosen forces (all listed ones by default) into `db`.
 * @throws FetchError when the API cannot be reached, is not a compatible API, or does not know a requested force.
 * @example await fetchFromApi(store.db, { api: 'https://data.police.uk/api', forces: ['hampshire'], rate: 10 });
 */
export async function fetchFromApi(db: Kysely<Database>, options: FetchOptions): Promise<FetchSummary> {
  const log = options.log ?? (() => {});
  const client = new ApiClient({
    baseUrl: options.api,
    rate: options.rate,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    onRetry: (url, attempt, delayMs, reason) => log(`  retry ${attempt} of ${url} in ${(delayMs / 1000).toFixed(1)} s (${reason})`),
  });
  const summary: FetchSummary = { forces: [], neighbourhoods: 0, removed: 0, keptLocal: [], failures: [], requests: 0, retries: 0 };

  const listUrl = client.url('forces');
  const listed = parse(forceListSchema, await client.getJson(listUrl).catch((e: unknown) => explainFirstFailure(e, options.api)), listUrl);
  const listedIds = new Set(listed.map((f) => f.id));
  try {
    const targets = await resolveTargets(client, options.forces, listedIds, options.api);
    log(`Fetching ${targets.length} force${targets.length === 1 ? '' : 's'} from ${client.baseUrl} at ${options.rate} requests/s`);
    for (const target of targets) {
      await fetchForce(db, client, target.id, listedIds.has(target.id), target.detail, options.concurrency ?? 3, log, summary);
    }
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'unreachable') {
      throw new FetchError(`Lost contact with the API at ${options.api}: ${error.message}. What was fetched before that is saved; run again to finish.`);
    }
    throw error;
  } finally {
    summary.requests = client.requests;
    summary.retries = client.retries;
  }
  return summary;
}

/** The requested forces in order, each checked against the API before anything is written. */
async function resolveTargets(client: ApiClient, requested: readonly string[], listedIds: Set<string>, api: string) {
  const ids = requested.length > 0 ? [...new Set(requested)] : [...listedIds];
  const targets: Array<{ id: string; detail: unknown }> = [];
  const unknown: string[] = [];
  for (const id of ids) {
    // A force left out of /forces may still answer /forces/{id} on some APIs; only a 404 there means unknown.
    const detail = listedIds.has(id) ? undefined : await client.getJsonOrUndefined(client.url('forces', id));
    if (!listedIds.has(id) && detail === undefined) unknown.push(id);
    else targets.push({ id, detail });
  }
  if (unknown.length > 0) {
    throw new FetchError(
      `Unknown force${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')}: ${api} has no such force. ` +
        `Forces it lists: ${[...listedIds].join(', ')}.`,
    );
  }
  return targets;
}

async function fetchForce(
  db: Kysely<Database>,
  client: ApiClient,
  forceId: string,
  listed: boolean,
  prefetched: unknown,
  concurrency: number,
  log: (line: string) => void,
  summary: FetchSummary,
): Promise<void> {
  const detailUrl = client.url('forces', forceId);
  const peopleUrl = client.url('forces', forceId, 'people');
  const [detailBody, peopleBody] = await Promise.all([Promise.resolve(prefetched ?? client.getJson(detailUrl)), client.getJsonOrUndefined(peopleUrl)]);
  const detail = parse(forceDetailSchema, detailBody, detailUrl);
  const people = peopleBody === undefined ? [] : parse(peopleSchema, peopleBody, peopleUrl);
  await saveForce(db, { ...detail, id: forceId, listed, isDemo: false, people });
  summary.forces.push(forceId);

  const listUrl = client.url(forceId, 'neighbourhoods');
  let list: Array<{ id: string; name: string }>;
  try {
    list = parse(neighbourhoodListSchema, await client.getJson(listUrl), listUrl);
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'unreachable') throw error;
    summary.failures.push({ item: `${forceId} neighbourhoods`, error: errorText(error) });
    log(`${forceId}: could not list neighbourhoods: ${errorText(error)}`);
    return;
  }
  log(`${forceId} (${detail.name}): ${list.length} neighbourhood${list.length === 1 ? '' : 's'}`);

  // Neighbourhoods staff have edited here (src/staff/) are theirs now: not fetched over, never removed.
  const local = await locallyEditedNeighbourhoodIds(db, forceId);
  if (local.length > 0) {
    summary.keptLocal.push(...local.map((id) => `${forceId}/${id}`));
    log(`  ${forceId}: ${local.length} neighbourhood${local.length === 1 ? '' : 's'} edited here left as they are`);
  }
  const localIds = new Set(local);

  const failuresBefore = summary.failures.length;
  let done = 0;
  const every = Math.max(10, Math.ceil(list.length / 10));
  await eachLimited(list, concurrency, async (item) => {
    if (localIds.has(item.id)) {
      done++;
      return;
    }
    try {
      const data = await fetchNeighbourhood(client, forceId, item.id);
      if (data) {
        await saveNeighbourhood(db, forceId, data);
        summary.neighbourhoods++;
      } else {
        log(`  ${forceId}/${item.id}: listed but not found; skipped`);
      }
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'unreachable') throw error;
      summary.failures.push({ item: `${forceId}/${item.id}`, error: errorText(error) });
      log(`  ${forceId}/${item.id}: failed: ${errorText(error)}`);
    }
    done++;
    if (done % every === 0 || done === list.length) log(`  ${forceId}: ${done}/${list.length} neighbourhoods`);
  });

  // Only a complete pass proves a stored neighbourhood is gone upstream rather than merely unfetched.
  if (summary.failures.length === failuresBefore) {
    const removed = await deleteNeighbourhoodsExcept(db, forceId, [...list.map((n) => n.id), ...local]);
    if (removed.length > 0) log(`  ${forceId}: removed ${removed.length} neighbourhoods the API no longer lists`);
    summary.removed += removed.length;
  }
}

/** One neighbourhood's five resources; undefined when the API lists it but no longer has it. */
async function fetchNeighbourhood(client: ApiClient, forceId: string, id: string): Promise<NeighbourhoodData | undefined> {
  const urls = {
    detail: client.url(forceId, id),
    boundary: client.url(forceId, id, 'boundary'),
    people: client.url(forceId, id, 'people'),
    events: client.url(forceId, id, 'events'),
    priorities: client.url(forceId, id, 'priorities'),
  };
  const [detail, boundary, people, events, priorities] = await Promise.all([
    client.getJsonOrUndefined(urls.detail),
    client.getJsonOrUndefined(urls.boundary),
    client.getJsonOrUndefined(urls.people),
    client.getJsonOrUndefined(urls.events),
    client.getJsonOrUndefined(urls.priorities),
  ]);
  if (detail === undefined) return undefined;
  // A 404 on a part means the API holds none of it, not that the neighbourhood is broken.
  return {
    ...parse(neighbourhoodDetailSchema, detail, urls.detail),
    id,
    boundary: boundary === undefined ? [] : parse(boundarySchema, boundary, urls.boundary),
    people: people === undefined ? [] : parse(peopleSchema, people, urls.people),
    events: events === undefined ? [] : parse(eventsSchema, events, urls.events),
    priorities: priorities === undefined ? [] : parse(prioritiesSchema, priorities, urls.priorities),
  };
}

/** Runs `fn` over `items` with at most `limit` at once; the first thrown error stops new work and is rethrown. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The closing report: what was saved, what failed, and how hard the API was asked. */
export function formatSummary(s: FetchSummary, elapsedMs: number): string {
  const lines = [
    `Fetched ${s.forces.length} force${s.forces.length === 1 ? '' : 's'} and ${s.neighbourhoods} neighbourhood${s.neighbourhoods === 1 ? '' : 's'}` +
      ` in ${(elapsedMs / 1000).toFixed(1)} s (${s.requests} requests, ${s.retries} retries).`,
  ];
  if (s.removed > 0) lines.push(`Removed ${s.removed} neighbourhoods the API no longer lists.`);
  if (s.keptLocal.length > 0) lines.push(`Left ${s.keptLocal.length} neighbourhood${s.keptLocal.length === 1 ? '' : 's'} edited here by staff as they are.`);
  if (s.failures.length > 0) {
    lines.push(`${s.failures.length} failed (run again to retry them):`);
    for (const f of s.failures.slice(0, 20)) lines.push(`  ${f.item}: ${f.error}`);
    if (s.failures.length > 20) lines.push(`  … and ${s.failures.length - 20} more`);
  }
  return lines.join('\n');
}
