/**
 * Routes for administration: organisations, people, roles, sessions and the audit view.
 */
import type { FastifyInstance } from 'fastify';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
