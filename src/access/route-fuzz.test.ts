/**
 * An HTTP fuzz test over every route the app declares (the authorisation matrix's
 * route table), as an anonymous visitor and as every role in the matrix fixture.
 *
 * 1. Every GET route is fetched with its fixture values as every persona; the
 *    pages' forms, links and redirects give the field names and query keys each
 *    route takes (routes declare no schema list), with the values the pages offer.
 * 2. Every route then gets random and hostile values (route-fuzz.inputs.ts) in its
 *    path parameters, query keys and form fields, percent-encoded and as they stand,
 *    in form, JSON, malformed JSON, multipart and other bodies; POSTs go with a valid
 *    CSRF token (so they reach the handler), without one, and with another's.
 *
 * Every answer, whatever was sent: is not a 5xx (but for data.police.uk's own
 * deliberate 502/503s under /api/), carries the security headers, comes within a
 * time bound, shows no stack trace or Node/Fastify error code, sends nobody off-site
 * and echoes no markup unescaped.
 *
 * Deterministic: inputs come from fast-check with a fixed seed (ROUTE_FUZZ_SEED to
 * change it, ROUTE_FUZZ_SCALE to send more, ROUTE_FUZZ_ONLY=/watch/ for some routes
 * only). A failure lists each distinct failure
 * once (route and cause), with the smallest request found that still shows it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { anonymousVisitor, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import type { Store } from '../store/store.ts';
import { PERSONAS, restoreMatrix, seedMatrix, type MatrixFixture, type Persona } from './matrix.fixtures.ts';
import {
  harvestForms,
  harvestLinks,
  HOSTILE_KEYS,
  HOSTILE_VALUES,
  hugePolygon,
  JSON_ROUTE_KEYS,
  linkTarget,
  PAGE_QUERY_KEYS,
  routePattern,
  validPathValues,
  type FieldSamples,
} from './route-fuzz.inputs.ts';

const SEED = Number(process.env.ROUTE_FUZZ_SEED ?? 0x5afe15);
const SCALE = Number(process.env.ROUTE_FUZZ_SCALE ?? 1);
/** Fuzzed requests per route and persona: POSTs get two, one with a valid CSRF token and one without. */
const RUNS_PER_PERSONA = { GET: 1 * SCALE, POST: 2 * SCALE };
/** Fuzz only the routes whose URL contains this (ROUTE_FUZZ_ONLY=/watch/), to chase one failure. */
const ONLY = process.env.ROUTE_FUZZ_ONLY;
/**
 * No answer may take longer than this. Every request here is in-process (app.inject,
 * an in-memory SQLite or a local PostgreSQL) and most answer in a few milliseconds;
 * the slowest honest ones hash a password (argon2id, 19 MiB) or render an admin page.
 * Two seconds leaves room for a loaded 2-core CI runner with another test file beside
 * this one, while still catching the catastrophic cases (a regex or a polygon that
 * runs away, a query without a bound) that would tie up a real server.
 */
const BOUND_MS = 2000;
/** At most this many distinct failures are listed (and minimised). */
const MAX_LISTED = 80;
/** A cause seen on more routes than this is reported once, as a fault of shared code. */
const SHARED_CAUSE_ROUTES = 5;

/** The deliberate 5xx answers of the data.police.uk-compatible API (docs/API.md): upstream gives them too. */
const UPSTREAM_5XX = new Set(['SC_ERR_POLY_TOO_FEW_POINTS', 'SC_ERR_AREA_TOO_LARGE', 'SC_ERR_UNKNOWN_FORCE_UPSTREAM_502']);

/** Answers whose body is code or binary (scripts, styles, images): their text is not checked for leaks. */
const NOT_TEXT = /javascript|css|image\/|font\/|octet-stream|application\/wasm/;

type Encoding = 'encoded' | 'raw';
interface Slot {
  value: string;
  encoding: Encoding;
  hostile: boolean;
  /** In a JSON body, the value sent instead of the string (a number, array, object, null). */
  json?: unknown;
}
interface Entry {
  key: string;
  slot: Slot;
}
type BodyKind = 'form' | 'json' | 'json-as-form' | 'malformed-json' | 'multipart' | 'multipart-no-boundary' | 'text' | 'unknown-type' | 'utf16-form' | 'none' | 'huge';
type CsrfCase = 'valid' | 'valid-header' | 'none' | 'wrong';

interface Plan {
  path: Record<string, Slot>;
  query: Entry[];
  bodyKind: BodyKind;
  body: Entry[];
  accept: string | undefined;
}

interface Sent {
  persona: Persona;
  csrf: CsrfCase | null;
  plan: Plan;
}

interface RouteInfo {
  method: 'GET' | 'POST';
  url: string;
  pattern: ReturnType<typeof routePattern>;
  valid: Record<string, string>;
}

interface Failure {
  route: string;
  cause: string;
  detail: string;
  sent: Sent;
  info: RouteInfo;
  count: number;
}

/** Values a JSON body can carry that a form cannot. */
const JSON_ONLY: unknown[] = [1e308, -0, Number('12345678901234567890'), null, true, [], ['a', 'b'], {}, { $gt: '' }, { __proto__: { polluted: 1 } }, JSON.parse('{"__proto__":{"polluted":1}}'), nested(60)];

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

const HUGE_POLY = hugePolygon(5000);
const HUGE_BODY = `a=${'a'.repeat(1.2 * 1024 * 1024)}`;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hostileValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...HOSTILE_VALUES) },
  { weight: 1, arbitrary: fc.constant(HUGE_POLY) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

const hostileSlot: fc.Arbitrary<Slot> = fc.record({
  value: hostileValue,
  encoding: fc.constantFrom<Encoding>('encoded', 'raw'),
  hostile: fc.constant(true),
});

function tameSlot(value: string): Slot {
  return { value, encoding: 'encoded', hostile: false };
}

function slotFor(samples: string[]): fc.Arbitrary<Slot> {
  const tame = samples.length > 0 ? fc.constantFrom(...samples).map(tameSlot) : fc.constant(tameSlot('x'));
  return fc.oneof({ weight: 2, arbitrary: tame }, { weight: 3, arbitrary: hostileSlot });
}

/** Entries for some of the known keys (tame or hostile), sometimes repeated, sometimes an unknown or hostile key. */
function entries(known: FieldSamples, others: string[]): fc.Arbitrary<Entry[]> {
  const keys = [...known.keys()].filter((k) => k !== '_csrf');
  const pick = keys.length === 0 ? fc.constant<string[]>([]) : fc.subarray(keys, { minLength: Math.min(1, keys.length) });
  return fc
    .tuple(
      pick,
      fc.array(fc.constantFrom(...others, ...HOSTILE_KEYS), { maxLength: 2 }),
      fc.boolean(),
      fc.infiniteStream(hostileSlot),
      fc.infiniteStream(fc.nat()),
    )
    .map(([chosen, extra, repeat, hostile, picks]) => {
      const list: Entry[] = [];
      for (const key of chosen) {
        const samples = [...(known.get(key) ?? [])];
        const tame = samples.length > 0 ? samples[picks.next().value % samples.length]! : 'x';
        list.push({ key, slot: picks.next().value % 5 < 2 ? tameSlot(tame) : hostile.next().value });
      }
      for (const key of extra) list.push({ key, slot: picks.next().value % 2 === 0 ? tameSlot('1') : hostile.next().value });
      // The same key twice (a=1&a=2): the handler gets an array where it expects a string.
      if (repeat && list.length > 0) list.push({ key: list[0]!.key, slot: hostile.next().value });
      return list;
    });
}

function planArbitrary(info: RouteInfo, queryKeys: FieldSamples, bodyKeys: FieldSamples, everyKey: string[]): fc.Arbitrary<Plan> {
  const path: Record<string, fc.Arbitrary<Slot>> = {};
  for (const name of info.pattern.params) path[name] = slotFor([info.valid[name] ?? 'x']);
  const bodyKind =
    info.method === 'GET'
      ? fc.constant<BodyKind>('none')
      : fc.oneof(
          { weight: 80, arbitrary: fc.constant<BodyKind>('form') },
          { weight: 20, arbitrary: fc.constant<BodyKind>('json') },
          { weight: 7, arbitrary: fc.constantFrom<BodyKind>('json-as-form', 'malformed-json', 'multipart', 'multipart-no-boundary', 'text', 'unknown-type', 'utf16-form', 'none') },
          { weight: 1, arbitrary: fc.constant<BodyKind>('huge') },
        );
  return fc.record({
    path: fc.record(path),
    query: info.method === 'GET' ? entries(queryKeys, everyKey) : fc.oneof({ weight: 4, arbitrary: fc.constant<Entry[]>([]) }, { weight: 1, arbitrary: entries(queryKeys, everyKey) }),
    bodyKind,
    body: info.method === 'GET' ? fc.constant<Entry[]>([]) : entries(bodyKeys, everyKey).chain((list) => withJsonValues(list)),
    accept: fc.oneof({ weight: 6, arbitrary: fc.constant<string | undefined>('text/html') }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>('application/json', '*/*', undefined) }),
  });
}

/** Gives some entries a JSON-only value, used when the body is JSON. */
function withJsonValues(list: Entry[]): fc.Arbitrary<Entry[]> {
  return fc.array(fc.option(fc.constantFrom(...JSON_ONLY), { freq: 3 }), { minLength: list.length, maxLength: list.length }).map((values) =>
    list.map((entry, i) => (values[i] === null || values[i] === undefined ? entry : { key: entry.key, slot: { ...entry.slot, hostile: true, json: values[i] } })),
  );
}

function encode(text: string, encoding: Encoding): string {
  if (encoding === 'raw') return text;
  try {
    return encodeURIComponent(text);
  } catch {
    // A lone surrogate cannot be percent-encoded as UTF-8: send it as it stands.
    return text;
  }
}

function queryString(list: Entry[]): string {
  return list.map((e) => `${encode(e.key, e.slot.encoding)}=${encode(e.slot.value, e.slot.encoding)}`).join('&');
}

function urlFor(info: RouteInfo, plan: Plan): string {
  const path = info.url.replace(/:([A-Za-z]+)|\*/g, (whole, name: string | undefined) => {
    const slot = plan.path[name ?? '*']!;
    return encode(slot.value, slot.encoding);
  });
  return plan.query.length === 0 ? path : `${path}?${queryString(plan.query)}`;
}

async function requestFor(app: FastifyInstance, info: RouteInfo, sent: Sent, who: BrowserHeaders, otherToken: string): Promise<InjectOptions> {
  const { plan, csrf } = sent;
  const headers: Record<string, string> = { cookie: who.cookie };
  if (plan.accept !== undefined) headers.accept = plan.accept;
  const options: InjectOptions = { method: info.method, url: urlFor(info, plan), headers };
  if (info.method === 'GET') return options;
  const token = csrf === 'valid' || csrf === 'valid-header' ? who.csrf : csrf === 'wrong' ? otherToken : undefined;
  // Only a form, JSON or multipart body can carry the token as a field; any other goes in the header.
  const inBody = csrf === 'valid' && ['form', 'json', 'json-as-form', 'multipart', 'utf16-form'].includes(plan.bodyKind);
  if (token !== undefined && !inBody) headers['x-csrf-token'] = token;
  const fields: Entry[] = inBody || (csrf === 'wrong' && plan.bodyKind === 'form') ? [{ key: '_csrf', slot: tameSlot(token!) }, ...plan.body] : plan.body;
  const asObject = () => {
    const object: Record<string, unknown> = {};
    for (const e of fields) object[e.key] = e.slot.json !== undefined ? e.slot.json : e.slot.value;
    return object;
  };
  switch (plan.bodyKind) {
    case 'form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      options.payload = queryString(fields);
      break;
    case 'utf16-form':
      headers['content-type'] = 'application/x-www-form-urlencoded; charset=utf-16';
      options.payload = queryString(fields);
      break;
    case 'json':
      headers['content-type'] = 'application/json';
      options.payload = JSON.stringify(asObject());
      break;
    case 'json-as-form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      options.payload = JSON.stringify(asObject());
      break;
    case 'malformed-json':
      headers['content-type'] = 'application/json';
      options.payload = `{"${fields[0]?.key ?? 'a'}": "${fields[0]?.slot.value ?? ''}`;
      break;
    case 'multipart': {
      const form = new FormData();
      for (const e of fields) form.append(e.key, e.slot.value);
      const request = new Request('http://localhost/', { method: 'POST', body: form });
      headers['content-type'] = request.headers.get('content-type')!;
      options.payload = Buffer.from(await request.arrayBuffer());
      break;
    }
    case 'multipart-no-boundary':
      headers['content-type'] = 'multipart/form-data';
      options.payload = `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n`;
      break;
    case 'text':
      headers['content-type'] = 'text/plain';
      options.payload = queryString(fields);
      break;
    case 'unknown-type':
      headers['content-type'] = 'application/x-fuzz';
      options.payload = queryString(fields);
      break;
    case 'huge':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      options.payload = token === undefined ? HUGE_BODY : `_csrf=${token}&${HUGE_BODY}`;
      break;
    case 'none':
      break;
  }
  return options;
}

/** What is wrong with an answer, each as [cause, detail]; the cause is the same for the same fault. */
function problems(info: RouteInfo, response: LightMyRequestResponse, ms: number, error: Error | undefined): [string, string][] {
  const found: [string, string][] = [];
  const code = String(response.headers['x-error-code'] ?? '');
  if (response.statusCode >= 500 && !(info.url.startsWith('/api/') && UPSTREAM_5XX.has(code))) {
    // The error behind it (its code or class, and where in our code it was thrown) tells one fault from another.
    const where = error ? `${(error as { code?: string }).code ?? error.name}${ourFrame(error)}` : 'no error seen';
    found.push([`answered ${response.statusCode} (${where})`, [code, error?.message.slice(0, 100)].filter(Boolean).join(': ')]);
  }
  const missing: string[] = [];
  if (!response.headers['content-security-policy']) missing.push('Content-Security-Policy');
  if (response.headers['x-content-type-options'] !== 'nosniff') missing.push('X-Content-Type-Options');
  if (!response.headers['x-frame-options']) missing.push('X-Frame-Options');
  if (!response.headers['referrer-policy']) missing.push('Referrer-Policy');
  const framework = /"code":"(FST_[A-Z_]+)"/.exec(response.body)?.[1];
  if (missing.length > 0) found.push([`${response.statusCode}${framework ? ` ${framework}` : ''} without ${missing.join(', ')}`, '']);
  if (ms > BOUND_MS) found.push([`took over ${BOUND_MS} ms`, `${Math.round(ms)} ms`]);
  const type = String(response.headers['content-type'] ?? '');
  if (!NOT_TEXT.test(type)) {
    const body = response.body;
    const nodeCode = /(?<![A-Z_])ERR_[A-Z][A-Z_]+/.exec(body);
    if (nodeCode) found.push([`body shows a Node error code`, nodeCode[0]]);
    const fastify = /FST_[A-Z_]+/.exec(body);
    if (fastify) found.push([`body shows a Fastify error code`, fastify[0]]);
    const stack = /\bat (?:Object\.|async |new )?[\w$.<>]+ \(?(?:file:|node:|\/)[^\s)]*:\d+:\d+/.exec(body) ?? /at Object\./.exec(body);
    if (stack) found.push([`body shows a stack trace`, stack[0]]);
    if (type.includes('html') && body.includes('<x-fuzz-xss>')) found.push(['echoes markup unescaped', '<x-fuzz-xss>']);
  }
  const location = response.headers.location;
  if (typeof location === 'string' && offSite(location)) found.push(['redirects off-site', location.slice(0, 80)]);
  return found;
}

/** The first frame of a stack in the project's own code, as " at src/x.ts:12". */
function ourFrame(error: Error): string {
  const frame = /\/(src\/[\w/.-]+\.ts):(\d+)/.exec(error.stack ?? '');
  return frame ? ` at ${frame[1]}:${frame[2]}` : '';
}

function offSite(location: string): boolean {
  if (/^[\t\n\r ]*[/\\][\t\n\r ]*[/\\]/.test(location)) return true;
  if (!/^[\t\n\r ]*[a-z][a-z0-9+.-]*:/i.test(location)) return false;
  try {
    return new URL(location).host !== 'localhost' && new URL(location).host !== '127.0.0.1';
  } catch {
    return true;
  }
}

/** One readable line per request: who, how, and what exactly went (control characters escaped). */
function describeRequest(info: RouteInfo, sent: Sent, options: InjectOptions): string {
  const show = (text: string) => {
    const escaped = JSON.stringify(text).slice(1, -1);
    return escaped.length > 160 ? `${escaped.slice(0, 160)}… (${text.length} chars)` : escaped;
  };
  const headers = options.headers as Record<string, string>;
  const parts = [`as ${sent.persona}`, `${info.method} "${show(typeof options.url === 'string' ? options.url : JSON.stringify(options.url))}"`];
  if (headers.accept !== 'text/html') parts.push(`accept: ${headers.accept ?? '(none)'}`);
  if (info.method === 'POST') {
    parts.push(`csrf: ${sent.csrf}`);
    parts.push(`content-type: ${headers['content-type'] ?? '(none)'}`);
    const payload = options.payload;
    if (payload !== undefined) {
      const text = Buffer.isBuffer(payload) ? payload.toString('latin1') : typeof payload === 'string' ? payload : JSON.stringify(payload);
      parts.push(`body "${show(text.replace(/_csrf=[\w-]{20,}/, '_csrf=<token>').replace(/"_csrf":"[\w-]{20,}"/, '"_csrf":"<token>"'))}"`);
    }
  }
  return parts.join(', ');
}

/** Smaller plans: each hostile slot put back to a tame one, or dropped. */
function simplerPlans(info: RouteInfo, plan: Plan): Plan[] {
  const simpler: Plan[] = [];
  for (const name of Object.keys(plan.path)) {
    if (plan.path[name]!.hostile) simpler.push({ ...plan, path: { ...plan.path, [name]: tameSlot(info.valid[name] ?? 'x') } });
  }
  // A long value that still fails at half its length was not failing for its tail.
  const shorter = (slot: Slot): Slot => ({ ...slot, value: [...slot.value].slice(0, Math.ceil([...slot.value].length / 2)).join('') });
  for (const name of Object.keys(plan.path)) {
    if (plan.path[name]!.hostile && plan.path[name]!.value.length > 16) simpler.push({ ...plan, path: { ...plan.path, [name]: shorter(plan.path[name]!) } });
  }
  plan.query.forEach((e, i) => e.slot.value.length > 16 && simpler.push({ ...plan, query: plan.query.map((f, j) => (j === i ? { key: f.key, slot: shorter(f.slot) } : f)) }));
  plan.body.forEach((e, i) => e.slot.value.length > 16 && simpler.push({ ...plan, body: plan.body.map((f, j) => (j === i ? { key: f.key, slot: shorter(f.slot) } : f)) }));
  if (plan.query.length > 0) simpler.push({ ...plan, query: [] });
  plan.query.forEach((_, i) => simpler.push({ ...plan, query: plan.query.filter((__, j) => j !== i) }));
  if (plan.body.length > 0) simpler.push({ ...plan, body: [] });
  plan.body.forEach((_, i) => simpler.push({ ...plan, body: plan.body.filter((__, j) => j !== i) }));
  if (plan.bodyKind !== 'form' && plan.bodyKind !== 'none') simpler.push({ ...plan, bodyKind: 'form' });
  if (plan.accept !== 'text/html') simpler.push({ ...plan, accept: 'text/html' });
  return simpler;
}

describeEachStore('route fuzz', (getStore) => {
  let app: FastifyInstance;
  let fx: MatrixFixture;
  let routes: RouteInfo[];
  let restore: () => Promise<void>;
  /** Field names and sample values per route ("POST /sign-in"), from its forms, links and redirects. */
  const queryFields = new Map<string, FieldSamples>();
  const bodyFields = new Map<string, FieldSamples>();
  const everyKey = new Set<string>(Object.keys(PAGE_QUERY_KEYS));
  const failures = new Map<string, Failure>();
  let requests = 0;
  /** The error the app met while answering each request (by its x-fuzz-id header), to name a 5xx's cause. */
  const errors = new Map<string, Error>();

  before(async () => {
    const store = getStore();
    fx = await seedMatrix(store);
    app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
    app.addHook('onError', async (request, _reply, error) => {
      const id = request.headers['x-fuzz-id'];
      if (typeof id === 'string') errors.set(id, error);
    });
    await app.ready();
    restore = await restorer(store, fx);
    routes = [];
    for (const route of app.declaredRoutes) {
      if (route.method !== 'GET' && route.method !== 'POST') continue;
      routes.push({ method: route.method, url: route.url, pattern: routePattern(route.url), valid: await validPathValues(store, fx, route.url) });
    }
  });
  after(async () => {
    await app?.close();
  });

  const key = (info: { method: string; url: string }) => `${info.method} ${info.url}`;

  /** The declared route a form action or link goes to (the most specific match, as the router chooses). */
  function routeOf(method: 'GET' | 'POST', path: string): RouteInfo | undefined {
    return routes.filter((r) => r.method === method && r.pattern.regex.test(path)).sort((a, b) => b.pattern.specificity - a.pattern.specificity)[0];
  }

  function learn(target: Map<string, FieldSamples>, route: RouteInfo | undefined, name: string, value: string | undefined): void {
    if (!route || name === '') return;
    everyKey.add(name);
    const fields = target.get(key(route)) ?? new Map<string, Set<string>>();
    const samples = fields.get(name) ?? new Set<string>();
    if (value !== undefined && samples.size < 20) samples.add(value);
    fields.set(name, samples);
    target.set(key(route), fields);
  }

  function harvest(response: LightMyRequestResponse, pageUrl: string): void {
    const location = response.headers.location;
    if (typeof location === 'string') {
      const link = linkTarget(location);
      if (link) for (const [name, value] of link.query) learn(queryFields, routeOf('GET', link.path), name, value);
    }
    if (!String(response.headers['content-type'] ?? '').includes('text/html')) return;
    for (const form of harvestForms(response.body, pageUrl)) {
      const route = routeOf(form.method, form.action);
      for (const [name, samples] of form.fields) {
        learn(form.method === 'GET' ? queryFields : bodyFields, route, name, undefined);
        for (const value of samples) learn(form.method === 'GET' ? queryFields : bodyFields, route, name, value);
      }
    }
    for (const link of harvestLinks(response.body)) for (const [name, value] of link.query) learn(queryFields, routeOf('GET', link.path), name, value);
  }

  async function who(persona: Persona): Promise<BrowserHeaders> {
    const personId = fx.personIds[persona];
    return personId === undefined ? anonymousVisitor(app) : signedInAs(app, personId);
  }

  /** Sends one request and records what is wrong with its answer; true when something was. */
  async function send(info: RouteInfo, sent: Sent, record = true): Promise<{ causes: [string, string][]; options: InjectOptions; response?: LightMyRequestResponse }> {
    const headers = await who(sent.persona);
    const options = await requestFor(app, info, sent, headers, anonymousVisitor(app).csrf);
    requests += 1;
    const id = String(requests);
    (options.headers as Record<string, string>)['x-fuzz-id'] = id;
    const started = performance.now();
    let response: LightMyRequestResponse;
    try {
      response = await app.inject(options);
    } catch (error) {
      const causes: [string, string][] = [[`app.inject rejected: ${(error as Error).message.slice(0, 80)}`, '']];
      if (record) note(info, sent, causes);
      return { causes, options };
    }
    const causes = problems(info, response, performance.now() - started, errors.get(id));
    errors.delete(id);
    if (record) note(info, sent, causes);
    // A POST that got through may have changed the fixture: put it back for the next request.
    if (info.method === 'POST' && sent.csrf !== 'none' && sent.csrf !== 'wrong' && response.statusCode < 400) await restore();
    return { causes, options, response };
  }

  function note(info: RouteInfo, sent: Sent, causes: [string, string][]): void {
    for (const [cause, detail] of causes) {
      const id = `${key(info)} | ${cause}`;
      const known = failures.get(id);
      if (known) known.count += 1;
      else failures.set(id, { route: key(info), cause, detail, sent, info, count: 1 });
    }
  }

  /** Puts hostile slots back, one at a time, while the same fault still shows: the smallest request that shows it. */
  async function minimise(failure: Failure): Promise<string> {
    let sent = failure.sent;
    let progress = true;
    let tries = 0;
    while (progress && tries < 60) {
      progress = false;
      for (const plan of simplerPlans(failure.info, sent.plan)) {
        tries += 1;
        const candidate = { ...sent, plan };
        const { causes } = await send(failure.info, candidate, false);
        if (causes.some(([cause]) => cause === failure.cause)) {
          sent = candidate;
          progress = true;
          break;
        }
        if (tries >= 60) break;
      }
    }
    const options = await requestFor(app, failure.info, sent, await who(sent.persona), '<another session’s token>');
    return describeRequest(failure.info, sent, options);
  }

  /**
   * One line per distinct failure (route and cause), with the smallest request found
   * that shows it. A cause seen on many routes is one fault in shared code (the
   * framework, a hook): it is one line, naming the routes, with one example.
   */
  async function report(label: string): Promise<string[]> {
    const byCause = new Map<string, Failure[]>();
    for (const failure of failures.values()) byCause.set(failure.cause, [...(byCause.get(failure.cause) ?? []), failure]);
    const lines: string[] = [];
    const causes = [...byCause.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    for (const [cause, list] of causes) {
      if (lines.length >= MAX_LISTED) break;
      const seen = list.reduce((n, f) => n + f.count, 0);
      if (list.length > SHARED_CAUSE_ROUTES) {
        const names = list.map((f) => f.route).sort();
        const shown = names.length > 8 ? `${names.slice(0, 8).join('; ')}; and ${names.length - 8} more` : names.join('; ');
        lines.push(`${cause} on ${list.length} routes, ${seen}× (${shown}) — e.g. ${await minimise(list[0]!)}`);
        continue;
      }
      for (const failure of list.sort((a, b) => a.route.localeCompare(b.route))) {
        const detail = failure.detail ? ` (${failure.detail})` : '';
        lines.push(`${failure.route}: ${cause}${detail}, ${failure.count}× — e.g. ${await minimise(failure)}`);
      }
    }
    const total = failures.size;
    console.log(`# route fuzz [${getStore().kind}] ${label}: ${requests} requests, seed ${SEED}, ${total} distinct failures (route and cause), ${byCause.size} causes`);
    return lines;
  }

  function assertNone(lines: string[]): void {
    if (lines.length === 0) return;
    assert.fail(
      `${lines.length} distinct failures (route: cause, times seen — smallest request found). Seed ${SEED}; rerun with ` +
        `ROUTE_FUZZ_SEED=${SEED} npm test -- src/access/route-fuzz.test.ts\n  ${lines.join('\n  ')}`,
    );
  }

  it('answers every GET route, with its fixture values, safely for every persona (and learns the fields each route takes)', async () => {
    const gets = routes.filter((r) => r.method === 'GET');
    assert.ok(gets.length > 100, `only ${gets.length} GET routes: is the app registering them all?`);
    for (const info of gets) {
      const plan: Plan = { path: Object.fromEntries(info.pattern.params.map((p) => [p, tameSlot(info.valid[p] ?? 'x')])), query: [], bodyKind: 'none', body: [], accept: 'text/html' };
      for (const persona of PERSONAS) {
        const { response } = await send(info, { persona, csrf: null, plan });
        if (response) harvest(response, urlFor(info, plan));
      }
    }
    for (const info of routes) {
      for (const { prefix, keys } of JSON_ROUTE_KEYS) {
        if (info.url.startsWith(prefix)) for (const [name, values] of Object.entries(keys)) for (const value of values) learn(queryFields, info, name, value);
      }
      if (info.method === 'POST' && info.url.startsWith('/api/')) for (const name of ['poly', 'date']) learn(bodyFields, info, name, undefined);
    }
    const posts = routes.filter((r) => r.method === 'POST');
    const learnt = posts.filter((r) => bodyFields.has(key(r))).length;
    console.log(`# route fuzz [${getStore().kind}]: fields learnt for ${learnt} of ${posts.length} POST routes, query keys for ${queryFields.size} routes`);
    if (process.env.ROUTE_FUZZ_DEBUG) for (const r of posts) console.log(`#   ${key(r)}: ${[...(bodyFields.get(key(r))?.keys() ?? [])].join(' ')}`);
    assertNone(await report('fixture values'));
  });

  it('answers random and hostile values on every route, as every persona, safely', async () => {
    failures.clear();
    requests = 0;
    const started = performance.now();
    // GETs first; then POSTs, each followed by putting back anything it changed.
    const ordered = [...routes].filter((r) => !ONLY || r.url.includes(ONLY)).sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
    const pageKeys = new Map(Object.entries(PAGE_QUERY_KEYS).map(([k, v]) => [k, new Set(v)]));
    for (const info of ordered) {
      const queryKeys = new Map([...pageKeys, ...(queryFields.get(key(info)) ?? new Map<string, Set<string>>())]);
      const bodyKeys = bodyFields.get(key(info)) ?? new Map<string, Set<string>>();
      const runs = RUNS_PER_PERSONA[info.method] * PERSONAS.length;
      // One seed per route, so adding a route leaves every other route's inputs as they were.
      const plans = fc.sample(planArbitrary(info, queryKeys, bodyKeys, [...everyKey]), { seed: (SEED ^ hash(key(info))) | 0, numRuns: runs });
      for (let i = 0; i < plans.length; i += 1) {
        const persona = PERSONAS[i % PERSONAS.length]!;
        const round = Math.floor(i / PERSONAS.length) % 2;
        // Each persona sends each POST with a valid token (in the form or in the header) and without one (none, or another's).
        const csrf: CsrfCase | null = info.method === 'GET' ? null : round === 0 ? (i % 2 === 0 ? 'valid' : 'valid-header') : i % 2 === 0 ? 'none' : 'wrong';
        await send(info, { persona, csrf, plan: plans[i]! });
      }
    }
    console.log(`# route fuzz [${getStore().kind}]: ${requests} fuzzed requests over ${routes.length} routes in ${Math.round(performance.now() - started)} ms`);
    assertNone(await report('hostile values'));
  });
});

/**
 * Puts back what a fuzzed POST may have changed: the matrix's own restore (statuses,
 * roles, schemes, threads), plus the personas' own rows and scheme memberships, which a
 * self-service account deletion or a leave would otherwise take away for good.
 */
async function restorer(store: Store, fx: MatrixFixture): Promise<() => Promise<void>> {
  const ids = Object.values(fx.personIds);
  const people = await store.db.selectFrom('people').selectAll().where('id', 'in', ids).execute();
  const memberships = await store.db.selectFrom('watch_memberships').selectAll().where('person_id', 'in', ids).execute();
  return async () => {
    await restoreMatrix(store, fx);
    for (const { id, privilege_version: _version, ...row } of people) await store.db.updateTable('people').set(row).where('id', '=', id).execute();
    const present = await store.db.selectFrom('watch_memberships').select(['scheme_id', 'person_id']).where('person_id', 'in', ids).execute();
    const have = new Set(present.map((m) => `${m.scheme_id} ${m.person_id}`));
    for (const membership of memberships) {
      if (!have.has(`${membership.scheme_id} ${membership.person_id}`)) await store.db.insertInto('watch_memberships').values(membership).execute();
    }
  };
}
