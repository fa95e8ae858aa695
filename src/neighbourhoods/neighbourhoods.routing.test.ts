/**
 * The neighbourhood routes are parametric at the API root, so they must never
 * shadow another plugin's fixed paths, nor be shadowed where upstream has them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { compatErrorHandler } from '../api/compat-http.ts';
import { MonthIndexCache } from '../crime/month-index.ts';
import { DataRelease } from '../api/data-release.ts';
import { loadConfig } from '../config.ts';
import { forceRoutes } from '../forces/forces.routes.ts';
import { openStore, type Store } from '../store/store.ts';
import { seedFixtures } from './neighbourhoods.fixtures.ts';
import { neighbourhoodRoutes } from './neighbourhoods.routes.ts';

/** Fixed routes other plugins register under /api. */
const OTHER_ROUTES = [
  '/crimes-street/:category',
  '/crimes-at-location',
  '/crimes-no-location',
  '/outcomes-at-location',
  '/outcomes-for-crime/:id',
  '/stops-street',
  '/stops-at-location',
  '/stops-no-location',
  '/stops-force',
  '/crime-categories',
  '/crime-last-updated',
  '/crimes-street-dates',
];

describe('neighbourhood routes beside other plugins', () => {
  let store: Store;
  let app: FastifyInstance;
  before(async () => {
    store = await openStore('sqlite::memory:');
    await seedFixtures(store.db);
    app = Fastify({ routerOptions: { maxParamLength: 500 } });
    const config = loadConfig({}, { LOG_LEVEL: 'silent' });
    const ctx: AppContext = {
      store,
      config,
      release: new DataRelease(store, config.API_MONTHS_SERVED),
      monthIndex: new MonthIndexCache(store, 0),
      now: () => new Date(),
    };
    app.decorate('ctx', ctx);
    app.setErrorHandler(compatErrorHandler);
    await app.register(
      async (api) => {
        await api.register(async (other) => {
          for (const path of OTHER_ROUTES) other.get(path, async () => ({ route: path }));
        });
        await api.register(forceRoutes);
        await api.register(neighbourhoodRoutes);
      },
      { prefix: '/api' },
    );
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  for (const path of OTHER_ROUTES) {
    const concrete = path.replace(':category', 'all-crime').replace(':id', 'abc123');
    it(`leaves ${concrete} to its own plugin`, async () => {
      const res = await app.inject(`/api${concrete}`);
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { route: path });
    });
  }

  it('answers /{force}/neighbourhoods as the list, not as a neighbourhood called "neighbourhoods"', async () => {
    const res = await app.inject('/api/hampshire/neighbourhoods');
    assert.ok(Array.isArray(res.json()));
  });

  it('answers /forces/{id} and /forces/{id}/people from the force routes', async () => {
    assert.equal((await app.inject('/api/forces/hampshire')).json().id, 'hampshire');
    assert.equal((await app.inject('/api/forces/hampshire/people')).json().length, 2);
  });

  it('answers /locate-neighbourhood, not a one-segment lookup', async () => {
    const res = await app.inject('/api/locate-neighbourhood?q=52.64,-1.15');
    assert.deepEqual(res.json(), { force: 'leicestershire', neighbourhood: 'NC04' });
  });

  it('still reaches neighbourhoods at the root', async () => {
    assert.equal((await app.inject('/api/leicestershire/NC04')).json().id, 'NC04');
    assert.equal((await app.inject('/api/leicestershire/NC04/boundary')).statusCode, 200);
  });
});
