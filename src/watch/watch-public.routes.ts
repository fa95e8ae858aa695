/**
 * Neighbourhood Watch routes: finding schemes, scheme pages, starting a scheme and area administration.
 */
import type { FastifyInstance } from 'fastify';

export async function watchPublicRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
