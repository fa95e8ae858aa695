/**
 * Routes for staff tools: a neighbourhood team edits its own page; a force administrator manages neighbourhoods and teams.
 */
import type { FastifyInstance } from 'fastify';

export async function staffRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
