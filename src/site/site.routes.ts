/**
 * The public pages that are not a feature of their own: the home page with its
 * search, and the pages about the site and its data.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findPlace } from '../places/places.service.ts';
import { fieldError } from './forms.ts';
import { pageContext } from './page-context.ts';
import { redirect } from './redirect.ts';

const findQuery = z.object({ q: z.string().max(200).optional() });

export async function siteRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/', async (_request, reply) => reply.page('home.njk', await pageContext(app)));

  app.get('/find', async (request, reply) => {
    const parsed = findQuery.safeParse(request.query);
    const query = parsed.success ? (parsed.data.q ?? '').trim() : '';
    const context = await pageContext(app);
    if (query === '') {
      return reply.code(400).page('home.njk', { ...context, query, ...fieldError('q', 'Enter a postcode, place or neighbourhood name') });
    }
    const result = await findPlace(app.ctx.store, query);
    switch (result.kind) {
      case 'neighbourhood':
        return redirect(reply, `/neighbourhoods/${encodeURIComponent(result.forceId)}/${encodeURIComponent(result.neighbourhoodId)}`, 303);
      case 'choices':
        return reply.page('home.njk', {
          ...context,
          query,
          choices: result.choices.map((c) => ({
            label: c.forceName ? `${c.name} (${c.forceName})` : c.name,
            href: `/neighbourhoods/${encodeURIComponent(c.forceId)}/${encodeURIComponent(c.neighbourhoodId)}`,
          })),
        });
      case 'not-found':
      case 'invalid':
        return reply.code(result.kind === 'invalid' ? 400 : 404).page('home.njk', { ...context, query, ...fieldError('q', result.message) });
    }
  });

  app.get('/accessibility', async (_request, reply) => reply.page('accessibility.njk', await pageContext(app)));
  app.get('/about-the-data', async (_request, reply) => reply.page('about-the-data.njk', await pageContext(app)));
}
