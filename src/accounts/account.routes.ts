/**
 * Routes for sign-up, email verification, sign-in with a second factor, recovery, invitations and the account page.
 */
import type { FastifyInstance } from 'fastify';

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  void app;
}
