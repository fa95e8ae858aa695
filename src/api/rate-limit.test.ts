import assert from 'node:assert/strict';
import { it } from 'node:test';
import Fastify from 'fastify';
import { compatErrorHandler } from './compat-http.ts';
import { rateLimit } from './rate-limit.ts';

async function appWithClock() {
  let now = 0;
  const app = Fastify();
  app.setErrorHandler(compatErrorHandler);
  app.addHook('onRequest', rateLimit({ perSecond: 15, burst: 30, now: () => now }));
  app.get('/x', async () => 'ok');
  return { app, advance: (ms: number) => (now += ms) };
}

it('lets a burst of 30 through, then answers 429', async () => {
  const { app } = await appWithClock();
  const codes = [];
  for (let i = 0; i < 31; i++) codes.push((await app.inject({ url: '/x' })).statusCode);
  assert.deepEqual(codes.slice(0, 30), Array(30).fill(200));
  assert.equal(codes[30], 429);
});

it('drains at 15 a second', async () => {
  const { app, advance } = await appWithClock();
  for (let i = 0; i < 30; i++) await app.inject({ url: '/x' });
  advance(200); // 3 requests' worth drains
  const codes = [];
  for (let i = 0; i < 4; i++) codes.push((await app.inject({ url: '/x' })).statusCode);
  assert.deepEqual(codes, [200, 200, 200, 429]);
});

it('keeps a bucket per client', async () => {
  const { app } = await appWithClock();
  for (let i = 0; i < 30; i++) await app.inject({ url: '/x', remoteAddress: '10.0.0.1' });
  assert.equal((await app.inject({ url: '/x', remoteAddress: '10.0.0.1' })).statusCode, 429);
  assert.equal((await app.inject({ url: '/x', remoteAddress: '10.0.0.2' })).statusCode, 200);
});
