/**
 * Routes for administration: organisations, people, roles, sessions and the audit view.
 * Every route declares its action and target (src/access/access.ts); each file lists its own.
 */
import type { FastifyInstance } from 'fastify';
import { auditViewRoutes } from './audit-view.routes.ts';
import { organisationRoutes } from './organisations.routes.ts';
import { peopleRoutes } from './people.routes.ts';
import { personStatusRoutes } from './person-status.routes.ts';
import { personRoutes } from './person.routes.ts';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  await organisationRoutes(app);
  await peopleRoutes(app);
  await personRoutes(app);
  await personStatusRoutes(app);
  await auditViewRoutes(app);
}
