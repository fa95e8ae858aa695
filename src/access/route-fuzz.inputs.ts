/**
 * What the route fuzz test (route-fuzz.test.ts) sends: hostile values, the names of
 * fields and query keys harvested from the app's own pages, and a valid value for
 * every path parameter, so a request can be tame in every slot but one.
 */
import type { Store } from '../store/store.ts';
import { COUNCIL_A, firstTeamMember, FORCE, freshApplicantOf, freshMemberOf, OTHER_FORCE, OWN_NEIGHBOURHOOD, type MatrixFixture } from './matrix.fixtures.ts';

/**
 * Values that have broken web apps before. Each is sent both percent-encoded and as
 * it stands (so `%C3%28` arrives as an invalid UTF-8 escape, `../` as a path step).
 */
export const HOSTILE_VALUES: readonly string[] = [
  // Empty and blank.
  '',
  ' ',
  '\t',
  // Percent signs and escapes that do not decode, or decode to something surprising.
  '%',
  '%%',
  '%zz',
  '%C3%28',
  '%E3%80%82',
  '%FF',
  '%00',
  '%C0%AE%C0%AE%2F',
  '%ED%A0%80',
  '%E2%80%AE',
  '%252e%252e%252f',
  // Control characters and header injection.
  '\u0000',
  'a\u0000b',
  '\r\nSet-Cookie: fuzz=1',
  '\n',
  // Paths and redirects off-site.
  '../',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '/',
  '//evil.example',
  '//evil.example/%2e%2e',
  'https://evil.example/',
  '/\\evil.example',
  '\\\\evil.example',
  // Local-looking paths (a `next` must start with one slash) that are not, or cannot be a header.
  '/%E3%80%82',
  '/\u3002evil.example',
  '/é',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%0d%0aSet-Cookie:%20fuzz=1',
  '/\t/evil.example',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  // Markup, templates and SQL.
  '<script>alert(1)</script>',
  '"><x-fuzz-xss>',
  "'",
  '"',
  '`',
  '{{7*7}}',
  '${7*7}',
  "' OR '1'='1",
  '; DROP TABLE people; --',
  // Numbers at and past the edges of what a double holds.
  '0',
  '-0',
  '-1',
  '1e400',
  '-1e400',
  '1e-400',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '1_000',
  '9007199254740993',
  '99999999999999999999999999999999',
  '1'.repeat(400),
  `0.${'0'.repeat(400)}1`,
  '1.5',
  '+1',
  ' 1 ',
  '1,2',
  // Dates and months.
  '2024-13',
  '2024-02-30',
  '0000-00',
  '9999-12',
  '-2024-01',
  // Coordinates and areas.
  '50.91,-1.40',
  '91,181',
  'NaN,NaN',
  '1e400,1e400',
  '50.9,-1.4:50.91,-1.39:50.92,-1.41',
  '50.9,-1.4:50.9,-1.4',
  // Long values: a 600-character segment, longer text, multi-byte characters.
  'a'.repeat(600),
  'a'.repeat(5000),
  'é'.repeat(300),
  '😀'.repeat(200),
  // Unicode that is malformed, invisible or changes under normalisation.
  '\uD800',
  '\uFFFF',
  '\u202E',
  '\u3002',
  'İ',
  'ﬀ',
  // Words JavaScript treats specially.
  'true',
  'false',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  // Addresses.
  'a@b',
  'x@example.test\r\nBcc: y@example.test',
  '@',
  `${'a'.repeat(300)}@example.test`,
];

/** Keys a request might carry that no form asks for. */
export const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'a[b]', 'a.b', '', '%00', '_csrf', 'x'.repeat(300)];

/** A polygon with many points: an area as large as a client may draw. */
export function hugePolygon(points: number): string {
  const ring: string[] = [];
  for (let i = 0; i < points; i += 1) {
    const angle = (2 * Math.PI * i) / points;
    ring.push(`${(50.9 + 0.05 * Math.sin(angle)).toFixed(5)},${(-1.4 + 0.05 * Math.cos(angle)).toFixed(5)}`);
  }
  return ring.join(':');
}

/**
 * Query keys of the JSON endpoints, which have no HTML to harvest them from
 * (docs/API.md; the map's browser scripts). Keyed by the route's first segments.
 */
export const JSON_ROUTE_KEYS: { prefix: string; keys: Record<string, string[]> }[] = [
  {
    prefix: '/api/',
    keys: {
      lat: ['50.91'],
      lng: ['-1.40'],
      poly: ['50.9,-1.4:50.91,-1.39:50.92,-1.41'],
      date: ['2024-01'],
      location_id: ['1'],
      category: ['all-crime', 'burglary'],
      force: [FORCE],
      q: ['50.91,-1.40'],
    },
  },
  {
    prefix: '/map-data/',
    keys: {
      bbox: ['-1.5,50.8,-1.3,51.0'],
      zoom: ['12'],
      month: ['2024-01'],
      category: ['all-crime'],
      id: ['1'],
      force: [FORCE],
    },
  },
];

/** Query keys pages read that may appear only in a redirect or an email, never on a page. */
export const PAGE_QUERY_KEYS: Record<string, string[]> = {
  next: ['/account'],
  done: ['saved'],
  token: ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  key: ['AAAAAAAAAAAAAAAA'],
  before: ['10'],
  page: ['2'],
};

/** Field names and the values the app's own pages offer for them (hidden, option, radio and checkbox values). */
export type FieldSamples = Map<string, Set<string>>;

export interface HarvestedForm {
  method: 'GET' | 'POST';
  /** The form's action path (no query), decoded as a browser would send it. */
  action: string;
  fields: FieldSamples;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3] ?? '');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function add(fields: FieldSamples, name: string, value: string | undefined): void {
  const samples = fields.get(name) ?? new Set<string>();
  if (value !== undefined && samples.size < 20) samples.add(value);
  fields.set(name, samples);
}

/** Every form on a page, with its fields; `pageUrl` stands in for a missing action. */
export function harvestForms(html: string, pageUrl: string): HarvestedForm[] {
  const forms: HarvestedForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = `<form${match[1]}>`;
    const method = (attribute(open, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET';
    const action = new URL(attribute(open, 'action') || pageUrl, 'http://localhost').pathname;
    const fields: FieldSamples = new Map();
    const inner = match[2]!;
    for (const tag of inner.matchAll(/<(input|textarea|button)\b[^>]*>/gi)) {
      const name = attribute(tag[0], 'name');
      if (name !== undefined) add(fields, name, attribute(tag[0], 'value'));
    }
    for (const select of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
      const name = attribute(`<select${select[1]}>`, 'name');
      if (name === undefined) continue;
      add(fields, name, undefined);
      for (const option of select[2]!.matchAll(/<option\b[^>]*>/gi)) add(fields, name, attribute(option[0], 'value'));
    }
    forms.push({ method, action: safeDecode(action), fields });
  }
  return forms;
}

/** Links (and redirect targets) on the site with a query string: their path and keys. */
export function harvestLinks(html: string): { path: string; query: URLSearchParams }[] {
  const links: { path: string; query: URLSearchParams }[] = [];
  for (const match of html.matchAll(/\shref\s*=\s*"([^"]*\?[^"]*)"/gi)) {
    const link = linkTarget(decodeEntities(match[1]!));
    if (link) links.push(link);
  }
  return links;
}

export function linkTarget(href: string): { path: string; query: URLSearchParams } | null {
  if (!href.startsWith('/') || href.startsWith('//')) return null;
  const url = new URL(href, 'http://localhost');
  return { path: safeDecode(url.pathname), query: url.searchParams };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A matcher for a declared route's URL pattern (`:name` is one segment, `*` the rest). */
export function routePattern(url: string): { regex: RegExp; params: string[]; specificity: number } {
  const params: string[] = [];
  const source = url
    .split(/(:[A-Za-z]+|\*)/)
    .map((part) => {
      if (part === '*') {
        params.push('*');
        return '(.*)';
      }
      if (part.startsWith(':')) {
        params.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return { regex: new RegExp(`^${source}$`), params, specificity: url.replace(/:[A-Za-z]+|\*/g, '').length };
}

/**
 * Valid values for each route's path parameters (what the route points at in the
 * matrix fixture), so a fuzzed request can reach the handler with one slot hostile.
 */
export async function validPathValues(store: Store, fx: MatrixFixture, url: string): Promise<Record<string, string>> {
  const values: Record<string, string> = {
    force: FORCE,
    neighbourhood: OWN_NEIGHBOURHOOD,
    category: 'all-crime',
    persistentId: 'a'.repeat(64),
    locationId: '1',
    event: '0',
    file: 'member.jpg',
    position: '0',
    org: COUNCIL_A.id,
    thread: fx.threads.own,
    action: 'verify',
    slug: 'county-lines',
    '*': 'missing.png',
  };
  if (url.startsWith('/staff/neighbourhoods/')) {
    values.id = OWN_NEIGHBOURHOOD;
    values.member = await firstTeamMember(store, FORCE, OWN_NEIGHBOURHOOD);
  } else if (url.startsWith('/staff/forces/')) {
    values.id = OWN_NEIGHBOURHOOD;
  } else if (url.startsWith('/admin/organisations/')) {
    values.person = await freshMemberOf(store, COUNCIL_A.id);
  } else if (url.startsWith('/admin/outbox/') || url.startsWith('/dev/mail/')) {
    values.id = String(fx.outboxMessageId);
  } else if (url.startsWith('/watch/') || url.startsWith('/account/watch/')) {
    values.id = fx.schemes.own;
    values.person = await freshApplicantOf(store, fx.schemes.own);
  }
  if (url.startsWith('/api/forces/')) values.force = OTHER_FORCE;
  return values;
}
