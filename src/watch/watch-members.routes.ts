/**
 * Neighbourhood Watch routes: applying to join, messaging a coordinator, coordinator tools and members' own data.
 * Each part is its own encapsulated plugin, so its hooks (no-store, no Referer on secret links) stay with it.
 */
import type { FastifyInstance } from 'fastify';
import { applyRoutes } from './apply.routes.ts';
import { coordinatorMessageRoutes } from './coordinator-messages.routes.ts';
import { coordinatorRoutes } from './coordinator.routes.ts';
import { memberDataRoutes } from './member-data.routes.ts';
import { newsRoutes } from './news.routes.ts';
import { relayRoutes } from './relay.routes.ts';

export async function watchMemberRoutes(app: FastifyInstance): Promise<void> {
  await app.register(applyRoutes);
  await app.register(relayRoutes);
  await app.register(coordinatorRoutes);
  await app.register(coordinatorMessageRoutes);
  await app.register(newsRoutes);
  await app.register(memberDataRoutes);
}
