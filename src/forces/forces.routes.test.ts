import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { seedFixtures } from '../neighbourhoods/neighbourhoods.fixtures.ts';
import { describeEachStore } from '../store/test-stores.ts';

describeEachStore('force routes', (getStore) => {
  let app: FastifyInstance;
  before(async () => {
    await seedFixtures(getStore().db);
    app = await buildApp(getStore(), loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
  });

  it('lists listed forces only, by id, as id and name', async () => {
    const res = await app.inject('/api/forces');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json(), [
      { id: 'hampshire', name: 'Hampshire and Isle of Wight Constabulary' },
      { id: 'leicestershire', name: 'Leicestershire Police' },
      { id: 'northern-ireland', name: 'Police Service of Northern Ireland' },
    ]);
  });

  it('gives a force with engagement methods, keeping type only where published', async () => {
    const res = await app.inject('/api/forces/hampshire');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      id: 'hampshire',
      name: 'Hampshire and Isle of Wight Constabulary',
      url: 'https://www.hampshire.police.uk/',
      telephone: '101',
      description: '<p>Policing Hampshire &amp; the Isle of Wight.</p>',
      engagement_methods: [
        { type: 'facebook', title: 'Facebook', description: null, url: 'https://www.facebook.com/hampshireconstabulary' },
        { title: 'RSS', description: 'Keep informed', url: null },
      ],
    });
    const ni = await app.inject('/api/forces/northern-ireland');
    assert.deepEqual(ni.json(), {
      id: 'northern-ireland',
      name: 'Police Service of Northern Ireland',
      url: null,
      telephone: null,
      description: null,
      engagement_methods: [],
    });
  });

  it('gives senior officers in published order with null bios', async () => {
    const res = await app.inject('/api/forces/hampshire/people');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), [
      { name: 'Scott Chilton', rank: 'Chief Constable', bio: '<p>Joined in 1995.</p>', contact_details: { twitter: 'https://twitter.com/hantspolice' } },
      { name: 'Sam de Reya', rank: 'Deputy Chief Constable', bio: null, contact_details: {} },
    ]);
    assert.deepEqual((await app.inject('/api/forces/leicestershire/people')).json(), []);
  });

  for (const path of ['/api/forces/btp', '/api/forces/btp/people', '/api/forces/atlantis', '/api/forces/atlantis/people', '/api/forces/Hampshire']) {
    it(`answers ${path} with 404 text/plain Not Found`, async () => {
      const res = await app.inject(path);
      assert.equal(res.statusCode, 404);
      assert.equal(res.body, 'Not Found');
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.equal(res.headers['x-error-code'], 'SC_ERR_UNKNOWN_FORCE');
    });
  }
});
