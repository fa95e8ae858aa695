import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openStore, type Store } from '../store/store.ts';
import { isLoopback } from './dev-mail.routes.ts';
import { enqueueMail } from './outbox.repository.ts';

const TOKEN = 'CREATE-ADMIN-TOKEN-0123456789';

/**
 * Every spelling of the mailbox's paths a router might take for /dev/mail: percent-encoded
 * letters (the router decodes them; a check on the raw URL does not), a trailing slash,
 * doubled slashes, other cases, a semicolon, and each route under it.
 */
const SPELLINGS = [
  '/dev/mail',
  '/%64ev/mail',
  '/dev/%6Dail',
  '/%64%65%76/%6d%61%69%6c',
  '/d%65v/mail?before=99',
  '/DEV/mail',
  '/Dev/Mail',
  '/dev/mail/',
  '//dev/mail',
  '/dev//mail',
  '/./dev/mail',
  '/dev/mail;x',
  '/dev/mail/1',
  '/%64ev/mail/1',
  '/dev/mail/%31',
  '/dev/mail/1/html',
  '/%64ev/mail/1/html',
  '/dev/mail/1/%68tml',
  '/dev/mail/1/html/',
];

let store: Store;
let app: FastifyInstance;
before(async () => {
  store = await openStore('sqlite::memory:');
  await enqueueMail(
    store.db,
    {
      to: 'first-admin@example.org',
      subject: 'Create your administrator account',
      text: `Open http://localhost:3000/create-admin?token=${TOKEN}`,
      html: `<a href="http://localhost:3000/create-admin?token=${TOKEN}">Create</a>`,
      template: 'create-admin',
    },
    new Date(),
  );
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

describe('no spelling of the path gives the mail to another machine', () => {
  for (const url of SPELLINGS) {
    it(url, async () => {
      for (const method of ['GET', 'HEAD'] as const) {
        for (const remoteAddress of ['192.168.1.20', '::ffff:10.0.0.7', '2001:db8::7']) {
          for (const accept of ['text/html', '*/*']) {
            const response = await app.inject({ method, url, headers: { accept }, remoteAddress });
            const what = `${method} ${url} from ${remoteAddress} (${accept})`;
            assert.ok(response.statusCode >= 400, `${what} answered ${response.statusCode}`);
            assert.ok(!response.body.includes(TOKEN), `${what} showed the token`);
            assert.ok(!response.body.includes('Create your administrator account'), `${what} showed the outbox`);
          }
        }
      }
    });
  }
});

it('reaches the mail through the encoded spellings from the machine itself, so the refusals above are the guard’s', async () => {
  for (const url of ['/%64ev/mail', '/dev/%6Dail', '/dev/mail/%31', '/%64ev/mail/1/html']) {
    const response = await app.inject({ url, headers: { accept: 'text/html' }, remoteAddress: '127.0.0.1' });
    assert.equal(response.statusCode, 200, url);
  }
});

it('refuses a remote client that a proxy on the same machine forwards', async () => {
  const proxied = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'development', TRUST_PROXY: '1' }));
  try {
    for (const url of ['/dev/mail', '/%64ev/mail', '/dev/mail/1/html']) {
      const response = await proxied.inject({ url, headers: { accept: 'text/html', 'x-forwarded-for': '192.168.1.20' }, remoteAddress: '127.0.0.1' });
      assert.equal(response.statusCode, 404, url);
      assert.ok(!response.body.includes(TOKEN), url);
    }
    const direct = await proxied.inject({ url: '/dev/mail', headers: { accept: 'text/html' }, remoteAddress: '127.0.0.1' });
    assert.equal(direct.statusCode, 200);
  } finally {
    await proxied.close();
  }
});

it('knows the loopback addresses in their IPv4, IPv6 and mapped forms', () => {
  for (const address of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true, address);
  for (const address of ['10.0.0.1', '::ffff:192.168.0.1', '2001:db8::1', undefined]) assert.equal(isLoopback(address), false, String(address));
});
