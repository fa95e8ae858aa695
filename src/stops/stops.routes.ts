// PLACEHOLDER
import type { FastifyInstance } from 'fastify';
export async function stopRoutes(_app: FastifyInstance): Promise<void> {}
