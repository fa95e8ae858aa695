/**
 * The crime map pages: the map itself (/map), the list of the same crimes for
 * people who do not use the map (/map/list), statistics for a drawn area
 * (/area), the neighbourhood boundaries the map draws, and MapLibre's files,
 * served from our own origin so the page loads no third-party code.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { errorView, fieldError, NO_ERRORS, type FieldError } from '../site/forms.ts';
import { pageContext } from '../site/page-context.ts';
import { areaStats, STATS_MONTHS } from './area-stats.service.ts';
import { neighbourhoodBoundaries } from './crime-map.repository.ts';
import { areaQuery, MAX_VERTICES, parseCircle, parseDrawnPolygon, RADIUS_MILES, type AreaResult } from './drawn-area.ts';
import { boundariesGeoJson, readBox, resolvePlace } from './map-geo.service.ts';
import { crimeListPage, filterModel, initialView, neighbourhoodChoices, readListArea } from './map-page.service.ts';
import { categoryName, monthName, one, queryString } from './page-query.ts';
import { redirect } from '../site/redirect.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const MAPLIBRE_DIST = dirname(require.resolve('maplibre-gl/dist/maplibre-gl.js'));

const hash = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 12);
const RADIUS_CHOICES = ['0.25', '0.5', '1', '2', '5'];

export async function crimeMapRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;
  const files = {
    'maplibre-gl.js': { body: readFileSync(join(MAPLIBRE_DIST, 'maplibre-gl.js')), type: 'text/javascript; charset=utf-8' },
    'maplibre-gl.css': { body: readFileSync(join(MAPLIBRE_DIST, 'maplibre-gl.css')), type: 'text/css; charset=utf-8' },
    'map.css': { body: readFileSync(join(here, 'map.css')), type: 'text/css; charset=utf-8' },
  };
  const assetUrls: Record<string, string> = {};
  for (const [name, file] of Object.entries(files)) {
    assetUrls[name] = `/assets/crime-map/${name}?v=${hash(file.body)}`;
    // Named by content hash, so they can be cached for a year and never go stale.
    app.get(`/assets/crime-map/${name}`, async (_request, reply) =>
      reply.type(file.type).header('Cache-Control', 'public, max-age=31536000, immutable').send(file.body),
    );
  }

  app.get('/map-data/neighbourhoods.geojson', async (request, reply) => {
    const box = readBox(one(request.query, 'bbox'));
    if (box === 'invalid') return reply.code(400).send({ error: { code: 'SC_ERR_BAD_MAP_QUERY', message: 'bbox must be minLng,minLat,maxLng,maxLat' } });
    const rows = await neighbourhoodBoundaries(ctx.store.db, box);
    return reply.type('application/geo+json; charset=utf-8').header('Cache-Control', 'public, max-age=300').send(boundariesGeoJson(rows));
  });

  app.get('/map', async (request, reply) => {
    const [context, filters, view] = await Promise.all([pageContext(app), filterModel(ctx, request.query), initialView(ctx, request.query)]);
    const state = { month: filters.filters.month, category: filters.filters.category };
    return reply.page('map/map.njk', {
      ...context,
      ...filters,
      ...errorView(filters.problems),
      view,
      assetUrls,
      tiles: { url: ctx.config.MAP_TILE_URL, attribution: ctx.config.MAP_TILE_ATTRIBUTION },
      listHref: `/map/list${queryString(view.neighbourhood ? { neighbourhood: view.neighbourhood, ...state } : { ...state, lat: view.lat, lng: view.lng })}`,
      hiddenFields: view.neighbourhood ? [['neighbourhood', view.neighbourhood]] : [['lat', view.lat], ['lng', view.lng]],
      monthLabel: filters.month ? monthName(filters.month) : null,
      categoryLabel: categoryName(filters.filters.category),
    });
  });

  app.get('/map/list', async (request, reply) => {
    const [context, filters] = await Promise.all([pageContext(app), filterModel(ctx, request.query)]);
    const problems: FieldError[] = [...filters.problems];
    const area = await readListArea(ctx, request.query, problems);
    const pageText = one(request.query, 'page');
    const page = pageText && /^\d{1,6}$/.test(pageText) ? Number(pageText) : 1;
    const list = area && filters.month ? await crimeListPage(ctx, area.area, filters.month, filters.filters.category, page) : null;
    const base = { ...area?.params, month: filters.filters.month, category: filters.filters.category };
    const pageHref = (n: number) => `/map/list${queryString({ ...base, page: n > 1 ? n : null })}`;
    return reply.code(problems.length > 0 && !area ? 400 : 200).page('map/list.njk', {
      ...context,
      ...filters,
      ...errorView(problems),
      area,
      list,
      selectedNeighbourhood: one(request.query, 'neighbourhood') ?? '',
      neighbourhoods: area ? [] : await neighbourhoodChoices(ctx),
      hiddenArea: area ? Object.entries(area.params) : [],
      monthLabel: filters.month ? monthName(filters.month) : null,
      categoryLabel: categoryName(filters.filters.category),
      pagination: list && list.pages > 1 ? paginationFor(list.page, list.pages, pageHref) : null,
      mapHref: `/map${queryString({ month: filters.filters.month, category: filters.filters.category })}`,
      areaHref: area && (area.area.kind === 'circle' || area.area.ring.length <= MAX_VERTICES) ? `/area${queryString(areaQuery(area.area))}` : null,
    });
  });

  app.get('/area', async (request, reply) => {
    const context = await pageContext(app);
    const place = one(request.query, 'place');
    const radius = one(request.query, 'radius');
    const poly = one(request.query, 'poly');
    const lat = one(request.query, 'lat');
    const form = { place: place ?? '', radius: radius ?? String(RADIUS_MILES.default), radiusChoices: RADIUS_CHOICES };
    let result: AreaResult | null = null;
    if (place !== undefined) {
      const found = await resolvePlace(ctx, place);
      if (!found.ok) return reply.code(400).page('map/area.njk', { ...context, form, ...fieldError('place', found.message) });
      result = parseCircle(String(found.value.latitude), String(found.value.longitude), radius);
      if (result.ok) return redirect(reply, `/area${queryString(areaQuery(result.value.area))}`, 303);
    } else if (poly !== undefined) {
      result = parseDrawnPolygon(poly);
    } else if (lat !== undefined) {
      result = parseCircle(lat, one(request.query, 'lng') ?? '', radius);
    }
    if (!result) return reply.page('map/area.njk', { ...context, form, ...NO_ERRORS });
    if (!result.ok) {
      // A drawn area has no input on this page: its message is a paragraph, which the summary links to.
      const errors = result.field === 'radius' ? fieldError('radius', result.message) : result.field === 'poly' ? fieldError('poly', result.message, 'poly-error') : fieldError('place', result.message);
      return reply.code(400).page('map/area.njk', { ...context, form, ...errors });
    }
    const stats = await areaStats(ctx, result.value);
    const params = areaQuery(result.value.area);
    return reply.page('map/area.njk', {
      ...context,
      form,
      ...NO_ERRORS,
      drawn: result.value,
      stats,
      statsMonths: STATS_MONTHS,
      fromLabel: stats ? monthName(stats.from) : null,
      toLabel: stats ? monthName(stats.to) : null,
      listHref: `/map/list${queryString(params)}`,
    });
  });
}

/** GOV.UK pagination items: first, last, and the pages either side of the current one. */
function paginationFor(page: number, pages: number, href: (n: number) => string) {
  const items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }> = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) items.push({ number: n, href: href(n), current: n === page });
    else if (items[items.length - 1]?.ellipsis !== true) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
  };
}
