/**
 * What data is available: categories, the latest update and the months served
 * with the forces that published stop and search in each.
 */
import type { FastifyInstance } from 'fastify';
import { CRIME_CATEGORIES } from './categories.ts';
import { stopAndSearchPublishersSince } from './crime.repository.ts';

export async function availabilityRoutes(app: FastifyInstance): Promise<void> {
  const { store, release } = app.ctx;

  // Upstream answers the same list whatever `date` says, so `date` is ignored here too.
  app.get('/crime-categories', async () => CRIME_CATEGORIES);

  app.get('/crime-last-updated', async () => {
    const latest = await release.latestMonth();
    return { date: latest ? `${latest}-01` : null };
  });

  app.get('/crimes-street-dates', async () => {
    const months = await release.servedMonths();
    if (months.length === 0) return [];
    const rows = await stopAndSearchPublishersSince(store.db, months[months.length - 1]!);
    const byMonth = new Map<string, string[]>();
    for (const r of rows) byMonth.set(r.month, [...(byMonth.get(r.month) ?? []), r.force_id]);
    return months.map((date) => ({ date, 'stop-and-search': byMonth.get(date) ?? [] }));
  });
}
