import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openStore, type Store } from '../store/store.ts';
import { isLoopback } from './dev-mail.routes.ts';

let store: Store;
let app: FastifyInstance;
before(async () => {
  store = await openStore('sqlite::memory:');
  app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'development' }));
});
after(async () => {
  await app.close();
  await store.close();
});

it('shows /dev/mail only to the machine the server runs on', async () => {
  const local = await app.inject({ url: '/dev/mail', headers: { accept: 'text/html' }, remoteAddress: '127.0.0.1' });
  assert.equal(local.statusCode, 200);
  const remote = await app.inject({ url: '/dev/mail', headers: { accept: 'text/html' }, remoteAddress: '192.168.1.20' });
  assert.equal(remote.statusCode, 404);
  const mapped = await app.inject({ url: '/dev/mail/1/html', remoteAddress: '::ffff:10.0.0.7' });
  assert.equal(mapped.statusCode, 404);
});

it('knows the loopback addresses in their IPv4, IPv6 and mapped forms', () => {
  for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true, address);
  for (const address of ['10.0.0.1', '::ffff:192.168.0.1', '2001:db8::1', undefined]) assert.equal(isLoopback(address), false, String(address));
});
