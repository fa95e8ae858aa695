/**
 * The public neighbourhood page, its calendar downloads and the trends pages
 * for a neighbourhood and a force. Routes only parse, load and render; unknown
 * ids throw SC_ERR_UNKNOWN_*, which the app's error handler turns into the
 * site's not-found page for a browser.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../errors.ts';
import type { NeighbourhoodEvent } from '../neighbourhoods/neighbourhood.types.ts';
import { pageContext } from '../site/page-context.ts';
import { registerChartAsset } from './chart-asset.ts';
import { calendarFileName, eventId, eventsCalendar } from './events-ics.ts';
import { parseEventParams, parseForcePageParams, parsePageParams } from './neighbourhood-page.schema.ts';
import {
  loadForceTrends,
  loadNeighbourhoodPage,
  loadNeighbourhoodTrends,
  loadUpcomingEvents,
  neighbourhoodPath,
  type TrendsPage,
} from './neighbourhood-page.service.ts';
import { trendsCsv } from './trends.presenter.ts';

/** Force-wide trends count a whole force's months, so they are kept until the data changes. */
const FORCE_TRENDS_CACHE = 64;


function sendCsv(reply: FastifyReply, page: TrendsPage, fileStem: string): FastifyReply {
  if (!page.table) throw new AppError('SC_ERR_NOT_FOUND', 'No crime data has been published for this force');
  const name = `${fileStem}-crime-trends-${page.table.first}-to-${page.table.last}.csv`.replace(/[^A-Za-z0-9._-]+/g, '-');
  return reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${name}"`).send(trendsCsv(page.table));
}

/** Registers the neighbourhood page, its calendars, the trends pages and the Chart.js asset. */
export async function neighbourhoodPageRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;
  const chartUrl = registerChartAsset(app);
  const forceTrends = new Map<string, Promise<Awaited<ReturnType<typeof loadForceTrends>>>>();

  const cachedForceTrends = async (forceId: string) => {
    const key = `${await app.ctx.release.version()}|${forceId}`;
    let entry = forceTrends.get(key);
    if (!entry) {
      entry = loadForceTrends(store, forceId);
      entry.catch(() => forceTrends.delete(key));
      forceTrends.set(key, entry);
      while (forceTrends.size > FORCE_TRENDS_CACHE) forceTrends.delete(forceTrends.keys().next().value!);
    }
    return entry;
  };

  app.get('/neighbourhoods/:force/:neighbourhood', async (request, reply) => {
    const { force, neighbourhood } = parsePageParams(request.params);
    const [page, context] = await Promise.all([loadNeighbourhoodPage(store, force, neighbourhood, new Date()), pageContext(app)]);
    return reply.page('neighbourhood/neighbourhood.njk', { ...context, ...page });
  });

  /** Sends upcoming events as an .ics download; `pick` narrows them (one event) and names the file. */
  async function sendCalendar(
    reply: FastifyReply,
    force: string,
    neighbourhood: string,
    pick: { name: string; events: (events: NeighbourhoodEvent[]) => NeighbourhoodEvent[] },
  ) {
    const { neighbourhood: n, events } = await loadUpcomingEvents(store, force, neighbourhood, new Date());
    const body = eventsCalendar(pick.events(events), {
      forceId: force,
      neighbourhoodId: neighbourhood,
      neighbourhoodName: n.name,
      // From PUBLIC_URL, never the request's Host: a calendar file outlives the request.
      pageUrl: `${app.ctx.config.PUBLIC_URL}${neighbourhoodPath(force, neighbourhood)}`,
    });
    return reply
      .type('text/calendar; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="${calendarFileName(force, neighbourhood, pick.name)}"`)
      .send(body);
  }

  app.get('/neighbourhoods/:force/:neighbourhood/events.ics', async (request, reply) => {
    const { force, neighbourhood } = parsePageParams(request.params);
    return sendCalendar(reply, force, neighbourhood, { name: 'events', events: (all) => all });
  });

  app.get('/neighbourhoods/:force/:neighbourhood/events/:event', async (request, reply) => {
    const { force, neighbourhood, eventId: wanted } = parseEventParams(request.params);
    return sendCalendar(reply, force, neighbourhood, {
      name: wanted,
      events: (all) => {
        const event = all.find((e) => eventId(e) === wanted);
        if (!event) throw new AppError('SC_ERR_NOT_FOUND', 'No upcoming event with that id');
        return [event];
      },
    });
  });

  app.get('/neighbourhoods/:force/:neighbourhood/trends', async (request, reply) => {
    const { force, neighbourhood } = parsePageParams(request.params);
    const [page, context] = await Promise.all([loadNeighbourhoodTrends(store, force, neighbourhood), pageContext(app)]);
    const path = neighbourhoodPath(force, neighbourhood);
    return reply.page('neighbourhood/trends.njk', {
      ...context,
      title: page.neighbourhood.name,
      forceName: page.force.name,
      table: page.table,
      csvHref: `${path}/trends.csv`,
      backHref: path,
      backText: `Back to ${page.neighbourhood.name}`,
      otherTrends: { href: `/forces/${encodeURIComponent(force)}/trends`, text: `Trends for ${page.force.name} as a whole` },
      chartUrl,
    });
  });

  app.get('/neighbourhoods/:force/:neighbourhood/trends.csv', async (request, reply) => {
    const { force, neighbourhood } = parsePageParams(request.params);
    return sendCsv(reply, await loadNeighbourhoodTrends(store, force, neighbourhood), `${force}-${neighbourhood}`);
  });

  app.get('/forces/:force/trends', async (request, reply) => {
    const { force } = parseForcePageParams(request.params);
    const [page, context] = await Promise.all([cachedForceTrends(force), pageContext(app)]);
    return reply.page('neighbourhood/trends.njk', {
      ...context,
      title: page.force.name,
      forceName: page.force.name,
      forceWide: true,
      table: page.table,
      csvHref: `/forces/${encodeURIComponent(force)}/trends.csv`,
      backHref: '/',
      backText: 'Find your neighbourhood',
      chartUrl,
    });
  });

  app.get('/forces/:force/trends.csv', async (request, reply) => {
    const { force } = parseForcePageParams(request.params);
    return sendCsv(reply, await cachedForceTrends(force), force);
  });
}
