/**
 * Shared set-up for the neighbourhood page tests: the demo force plus one
 * neighbourhood whose upstream fields carry hostile HTML, and an app over it.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { buildDemo, DEMO_FORCE_ID } from '../demo/demo.service.ts';
import { pointInPolygon } from '../geo/geo.ts';
import { findNeighbourhood, saveNeighbourhood } from '../neighbourhoods/neighbourhoods.repository.ts';
import type { Store } from '../store/store.ts';

export const FORCE = DEMO_FORCE_ID;
export const AREA = 'brackenford-town-centre';
export const HOSTILE = 'html-test';

export async function seedAndBuild(store: Store): Promise<FastifyInstance> {
  await buildDemo(store);
  const base = await findNeighbourhood(store.db, FORCE, AREA);
  if (!base) throw new Error('demo neighbourhood missing');
  await saveNeighbourhood(store.db, FORCE, {
    ...base,
    id: HOSTILE,
    name: 'Hostile &amp; Co',
    description: '<p>Line one <script>alert(1)</script><b onclick="steal()">bold</b></p><p>Two &lt;i&gt;escaped&lt;/i&gt;</p><img src=x onerror=alert(2)>',
    url_force: 'javascript:alert(3)',
    contact_details: { email: 'team@example.org', twitter: 'javascript:alert(4)', facebook: 'https://facebook.example/team' },
    people: [{ name: 'PC <em>Ada</em>', rank: 'PC', bio: '<p>Bio <a href="javascript:x">link</a></p>', contact_details: {} }],
    events: [],
    priorities: [{ issue: '<p>Issue <script>x()</script></p>', issue_date: '2026-01-05T00:00:00', action: null, action_date: null }],
  });
  return buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
}

/** Crimes by category at points inside the boundary, counted in memory from every crime of the month: independent of the SQL the page uses. */
export async function independentCounts(store: Store, forceId: string, id: string, month: string): Promise<Map<string, number>> {
  const n = await findNeighbourhood(store.db, forceId, id);
  if (!n) throw new Error('no such neighbourhood');
  const rows = await store.db
    .selectFrom('crimes as c')
    .innerJoin('locations as l', 'l.id', 'c.location_id')
    .select(['c.category', 'l.latitude', 'l.longitude'])
    .where('c.month', '=', month)
    .execute();
  const counts = new Map<string, number>();
  for (const r of rows) if (pointInPolygon(r, n.boundary)) counts.set(r.category, (counts.get(r.category) ?? 0) + 1);
  return counts;
}

/** Text of each cell of each body row of the table with that id, tags stripped. */
export function tableRows(html: string, tableId: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`).exec(html)?.[0];
  if (!table) return [];
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      cell[1]!.replace(/<span class="govuk-visually-hidden">[\s\S]*?<\/span>/g, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim(),
    ),
  );
}
