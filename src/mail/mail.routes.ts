/**
 * Routes for the outbox for administrators and, in development, /dev/mail.
 */
import type { FastifyInstance } from 'fastify';

export async function mailRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
