/**
 * Neighbourhood Watch routes: applying to join, messaging a coordinator, coordinator tools and members' own data.
 */
import type { FastifyInstance } from 'fastify';

export async function watchMemberRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
