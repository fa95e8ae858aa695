/**
 * data.police.uk's force routes: `/forces`, `/forces/{id}` and
 * `/forces/{id}/people`. Forces upstream leaves out of `/forces` (btp) answer
 * 404 here too, exactly as upstream does.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { presentForce, presentForceList, presentPerson } from './forces.presenter.ts';
import { findForce, listForcePeople, listListedForces } from './forces.repository.ts';
import { parseForceParams } from './forces.schema.ts';

export async function forceRoutes(app: FastifyInstance): Promise<void> {
  const db = () => app.ctx.store.db;

  app.get('/forces', async () => presentForceList(await listListedForces(db())));

  app.get('/forces/:force', async (request) => {
    const { force } = parseForceParams(request.params);
    const found = await findForce(db(), force);
    if (!found?.listed) throw new AppError('SC_ERR_UNKNOWN_FORCE');
    return presentForce(found);
  });

  app.get('/forces/:force/people', async (request) => {
    const { force } = parseForceParams(request.params);
    const found = await findForce(db(), force);
    if (!found?.listed) throw new AppError('SC_ERR_UNKNOWN_FORCE');
    return (await listForcePeople(db(), force)).map(presentPerson);
  });
}
