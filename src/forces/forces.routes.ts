// PLACEHOLDER: replaced by the real routes.
import type { FastifyInstance } from 'fastify';
export async function forceRoutes(_app: FastifyInstance): Promise<void> {}
