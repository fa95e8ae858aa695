// PLACEHOLDER
import type { FastifyInstance } from 'fastify';
export async function crimeRoutes(_app: FastifyInstance): Promise<void> {}
