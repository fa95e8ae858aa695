/**
 * What every page's layout needs to know about the data behind it.
 */
import type { FastifyInstance } from 'fastify';

export type PageContext = {
  demo: boolean;
  latestMonth: string | null;
};

export async function pageContext(app: FastifyInstance): Promise<PageContext> {
  const [demo, latestMonth] = await Promise.all([app.ctx.release.isDemo(), app.ctx.release.latestMonth()]);
  return { demo, latestMonth };
}
