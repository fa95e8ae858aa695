/**
 * The HTTP edge: whatever answers a request (a route, the not-found handler, the error
 * handler, a hook that failed, Fastify's router refusing a URL, Node refusing a malformed
 * or too slow request), the answer carries the security headers, under /api/ upstream's
 * error body and our error code, and a client's mistake is a 4xx, not a 500.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { access } from './access/access.ts';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { enqueueMail } from './mail/outbox.repository.ts';
import { openStore, type Store } from './store/store.ts';

const SECURITY_HEADERS = ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy'];
const LONG = 'a'.repeat(600);
const HTML = { accept: 'text/html' };

function assertSecured(response: { headers: Record<string, unknown> }, what: string): void {
  for (const name of SECURITY_HEADERS) assert.ok(response.headers[name], `${what}: no ${name}`);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
}

/** Under /api/ an error answers as upstream does: an empty or `Not Found` body, with our code in a header. */
function assertCompat(response: LightMyRequestResponse, code: string, what: string): void {
  assertSecured(response, what);
  assert.equal(response.headers['x-error-code'], code, what);
  assert.ok(['', 'Not Found'].includes(response.body), `${what}: body ${JSON.stringify(response.body.slice(0, 80))}`);
}

function assertPage(response: LightMyRequestResponse, status: number, what: string): void {
  assert.equal(response.statusCode, status, what);
  assertSecured(response, what);
  assert.match(String(response.headers['content-type']), /^text\/html/, what);
  assert.match(response.body, /govuk-template/, `${what}: not the site's page`);
}

let store: Store;
let app: FastifyInstance;
before(async () => {
  store = await openStore('sqlite::memory:');
  app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
  const open = { config: access('public.view') };
  app.get('/edge-test/on-request', { ...open, onRequest: async () => Promise.reject(new Error('hook failed')) }, async () => 'never');
  app.get('/api/edge-test/on-request', { ...open, onRequest: async () => Promise.reject(new Error('hook failed')) }, async () => 'never');
  // An error whose status cannot even be read: the error handler itself fails on it.
  const hostile = () => {
    const error = new Error('hostile');
    Object.defineProperty(error, 'statusCode', { get: () => { throw new Error('no status'); } });
    return error;
  };
  app.get('/edge-test/hostile', open, async () => { throw hostile(); });
  app.get('/api/edge-test/hostile', open, async () => { throw hostile(); });
  // An onSend hook that fails on the route's answer, and one that fails on every answer, the
  // error handler's included, so that Fastify's last resort answers.
  const failOnce = (payload: unknown) => (payload === 'route answer' ? Promise.reject(new Error('send failed')) : Promise.resolve(payload));
  app.get('/edge-test/on-send', { ...open, onSend: async (_q, _r, payload) => failOnce(payload) }, async () => 'route answer');
  app.get('/api/edge-test/on-send', { ...open, onSend: async (_q, _r, payload) => failOnce(payload) }, async () => 'route answer');
  const failAlways = { ...open, onSend: async () => Promise.reject(new Error('send failed')) };
  app.get('/edge-test/on-send-always', failAlways, async () => 'never');
  app.get('/api/edge-test/on-send-always', failAlways, async () => 'never');
});
after(async () => {
  await app.close();
  await store.close();
});

describe('framework errors carry the security headers and never echo the URL', () => {
  it('answers a 600-character path segment with 404 or 414', async () => {
    for (const url of [`/neighbourhoods/${LONG}`, `/neighbourhoods/demo/${LONG}`, `/dev/mail/${LONG}`, `/${LONG}`]) {
      const page = await app.inject({ url, headers: HTML });
      assert.ok([404, 414].includes(page.statusCode), `${url}: ${page.statusCode}`);
      assertSecured(page, url);
      assert.ok(!page.body.includes(LONG), `${url} echoed the URL`);
    }
    for (const url of [`/api/leicestershire/${LONG}`, `/api/forces/${LONG}`, `/api/crimes-at-location?location_id=${LONG}`]) {
      const api = await app.inject({ url });
      assert.ok([404, 414].includes(api.statusCode), `${url}: ${api.statusCode}`);
      assertCompat(api, String(api.headers['x-error-code']), url);
      assert.match(String(api.headers['x-error-code']), /^SC_ERR_/, url);
      assert.ok(!String(api.headers['x-error-message']).includes(LONG), `${url} echoed the URL in a header`);
    }
  });

  it('answers a segment longer than the router takes without echoing it', async () => {
    const huge = 'b'.repeat(4090);
    for (const url of [`/api/leicestershire/${huge}`, `/neighbourhoods/${huge}`]) {
      const response = await app.inject({ url, headers: url.startsWith('/api/') ? {} : HTML });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url.slice(0, 30)}: ${response.statusCode}`);
      assertSecured(response, url.slice(0, 30));
      assert.ok(!response.body.includes(huge), 'echoed the URL');
    }
  });

  it('answers a malformed percent-escape with 400', async () => {
    for (const url of ['/%zz', '/neighbourhoods/%E0%A4%A', '/dev/mail/%']) {
      const page = await app.inject({ url, headers: HTML });
      assert.equal(page.statusCode, 400, url);
      assertSecured(page, url);
      assert.equal(page.headers['x-error-code'], 'SC_ERR_BAD_URL', url);
      assert.ok(!page.body.includes(url), `${url} echoed`);
    }
    for (const url of ['/api/%zz', '/api/forces/%E0%A4%A', '/api/crimes-street/all-crime%']) {
      const api = await app.inject({ url });
      assert.equal(api.statusCode, 400, url);
      assertCompat(api, 'SC_ERR_BAD_URL', url);
    }
  });

  it('answers unknown paths with headers, and under /api/ as upstream does', async () => {
    assertPage(await app.inject({ url: '/no-such-page', headers: HTML }), 404, 'page 404');
    const api = await app.inject({ url: '/api/no-such-endpoint' });
    assert.equal(api.statusCode, 404);
    assertCompat(api, 'SC_ERR_NOT_FOUND', 'api 404');
    const post = await app.inject({ method: 'POST', url: '/api/no-such-endpoint', payload: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assertCompat(post, 'SC_ERR_NOT_FOUND', 'api POST 404');
  });
});

describe('the headers every answer starts with', () => {
  it('leaves a page its own policy, and the framed mail its own framing rules', async () => {
    const home = await app.inject({ url: '/', headers: HTML });
    assert.match(String(home.headers['content-security-policy']), /script-src 'self'/);
    const api = await app.inject({ url: '/api/forces' });
    assert.equal(api.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    const message = await enqueueMail(store.db, { to: 'a@example.org', subject: 's', text: 't', html: '<p>h</p>', template: 't' }, new Date());
    const framed = await app.inject({ url: `/dev/mail/${message.id}/html` });
    assert.equal(framed.statusCode, 200);
    assert.equal(framed.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(String(framed.headers['content-security-policy']), /^sandbox;.*frame-ancestors 'self'/);
  });

  it('sends HSTS on framework errors too when the site is served over https', async () => {
    const secure = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test', PUBLIC_URL: 'https://safe.example.org' }));
    try {
      for (const url of ['/%zz', '/api/%zz', `/api/leicestershire/${'c'.repeat(5000)}`, '/no-such-page', '/api/forces']) {
        const response = await secure.inject({ url, headers: HTML });
        assert.equal(response.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains', url.slice(0, 30));
        assertSecured(response, url.slice(0, 30));
      }
    } finally {
      await secure.close();
    }
  });
});

describe('errors in hooks and in the error handler carry the security headers', () => {
  it('answers an error thrown in an onRequest hook', async () => {
    assertPage(await app.inject({ url: '/edge-test/on-request', headers: HTML }), 500, 'page');
    const api = await app.inject({ url: '/api/edge-test/on-request' });
    assert.equal(api.statusCode, 500);
    assertCompat(api, 'SC_ERR_INTERNAL', 'api');
  });

  it('answers when the error handler itself fails', async () => {
    for (const [url, headers] of [['/edge-test/hostile', HTML], ['/api/edge-test/hostile', {}]] as const) {
      const response = await app.inject({ url, headers });
      assert.equal(response.statusCode, 500, url);
      assertSecured(response, url);
      assert.ok(!response.body.includes('no status'), `${url} leaked the error`);
    }
  });

  it('answers when an onSend hook fails', async () => {
    assertPage(await app.inject({ url: '/edge-test/on-send', headers: HTML }), 500, 'page');
    const api = await app.inject({ url: '/api/edge-test/on-send' });
    assert.equal(api.statusCode, 500);
    assertCompat(api, 'SC_ERR_INTERNAL', 'api');
  });

  it('answers with the headers even when an onSend hook fails every answer, the error handler’s too', async () => {
    for (const [url, headers] of [['/edge-test/on-send-always', HTML], ['/api/edge-test/on-send-always', {}]] as const) {
      const response = await app.inject({ url, headers });
      assert.equal(response.statusCode, 500, url);
      assertSecured(response, url);
    }
  });
});

describe('a form the server cannot take is the client’s mistake, shown on the site’s page', () => {
  const form = (contentType: string, payload: string, headers: Record<string, string> = HTML) =>
    app.inject({ method: 'POST', url: '/sign-in', headers: { ...headers, 'content-type': contentType }, payload });

  it('answers malformed JSON with 400', async () => {
    const response = await form('application/json', '{"email":');
    assertPage(response, 400, 'malformed JSON');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_BAD_REQUEST');
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await form('text/xml', '<email/>');
    assertPage(response, 415, 'text/xml');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an over-large form with 413', async () => {
    const response = await form('application/x-www-form-urlencoded', `email=${'x'.repeat(1_100_000)}`);
    assertPage(response, 413, 'large form');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_BODY_TOO_LARGE');
  });

  it('answers the same mistakes from a client that does not ask for a page with the code, not a 500', async () => {
    assert.equal((await form('application/json', '{"email":', {})).statusCode, 400);
    assert.equal((await form('text/xml', '<email/>', {})).statusCode, 415);
    assert.equal((await form('application/x-www-form-urlencoded', `email=${'x'.repeat(1_100_000)}`, {})).statusCode, 413);
  });

  it('keeps upstream’s empty 400 for a body the API cannot use', async () => {
    for (const [type, payload] of [['application/json', '{bad'], ['text/xml', '<a/>'], ['application/x-www-form-urlencoded', `poly=${'1'.repeat(1_100_000)}`]]) {
      const response = await app.inject({ method: 'POST', url: '/api/crimes-street/all-crime', headers: { 'content-type': type! }, payload: payload! });
      assert.equal(response.statusCode, 400, type);
      assertCompat(response, 'SC_ERR_BAD_BODY', type!);
    }
  });
});

/** Sends `chunks` on a raw connection, `gapMs` apart, and resolves with what came back when the server closes it. */
function rawExchange(port: number, chunks: string[], gapMs = 0, giveUpMs = 8000): Promise<{ text: string; ms: number; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ text, ms: Date.now() - started, closedByServer });
    };
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    socket.on('data', (data) => (text += data.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    const next = (i: number) => {
      if (i >= chunks.length || socket.destroyed) return;
      socket.write(chunks[i]!);
      timer = setTimeout(() => next(i + 1), gapMs);
    };
    socket.on('connect', () => next(0));
  });
}

function parseRaw(text: string): { status: number; headers: Record<string, string>; body: string } {
  const [head = '', ...rest] = text.split('\r\n\r\n');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

describe('a listening server', () => {
  let server: FastifyInstance;
  let port: number;
  before(async () => {
    const config = loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test', HTTP_HEADERS_TIMEOUT_SECONDS: '1', HTTP_REQUEST_TIMEOUT_SECONDS: '1' });
    server = await buildApp(store, config);
    await server.listen({ port: 0, host: '127.0.0.1' });
    const address = server.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  after(async () => {
    await server.close();
  });

  it('answers a malformed request with 400 and the security headers', async () => {
    const { text } = await rawExchange(port, ['GET / HTTP/1.1\r\nHost: x\r\nNot a header\r\n\r\n']);
    const response = parseRaw(text);
    assert.equal(response.status, 400, text);
    assertSecured(response, 'malformed request');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_BAD_REQUEST');
  });

  it('answers headers over the size limit with 431 and the security headers', async () => {
    const { text } = await rawExchange(port, [`GET /api/forces HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`]);
    const response = parseRaw(text);
    assert.equal(response.status, 431, text.slice(0, 200));
    assertSecured(response, 'header overflow');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_HEADERS_TOO_LARGE');
  });

  it('answers a malformed percent-escape on the wire with the security headers', async () => {
    const { text } = await rawExchange(port, ['GET /api/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    const response = parseRaw(text);
    assert.equal(response.status, 400);
    assertSecured(response, 'bad URL');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_BAD_URL');
  });

  it('cuts a body that arrives a byte at a time with 408', async () => {
    const head = 'POST /api/crimes-street/all-crime HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n';
    const { text, ms, closedByServer } = await rawExchange(port, [head, ...'poly=52.1,-1.1:52.2,-1.2'.split('')], 200);
    assert.ok(closedByServer, `still open after ${ms} ms`);
    assert.ok(ms < 4000, `closed only after ${ms} ms`);
    const response = parseRaw(text);
    assert.equal(response.status, 408, text);
    assertSecured(response, 'slow body');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_REQUEST_TIMEOUT');
  });

  it('cuts headers that arrive a byte at a time with 408', async () => {
    const { text, ms, closedByServer } = await rawExchange(port, 'GET /api/forces HTTP/1.1\r\nHost: x\r\nX-Slow: abcdefghijklmnopqrstuvwxyz\r\n\r\n'.split(''), 200);
    assert.ok(closedByServer, `still open after ${ms} ms`);
    assert.ok(ms < 4000, `closed only after ${ms} ms`);
    assert.equal(parseRaw(text).status, 408, text);
  });

  it('answers an Expect header it cannot meet with 417 and the security headers', async () => {
    const { text } = await rawExchange(port, ['GET /api/forces HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\nConnection: close\r\n\r\n']);
    const response = parseRaw(text);
    assert.equal(response.status, 417, text);
    assertSecured(response, 'expectation');
    assert.equal(response.headers['x-error-code'], 'SC_ERR_EXPECTATION_FAILED');
  });

  it('still serves a request that arrives in good time', async () => {
    const { text } = await rawExchange(port, ['GET /api/forces HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    const response = parseRaw(text);
    assert.equal(response.status, 200, text.slice(0, 300));
    assertSecured(response, 'ok');
  });
});

it('refuses a request that arrives while the server closes with 503 and the security headers', async () => {
  const server = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test' }));
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  server.get('/edge-test/slow', { config: access('public.view') }, async () => {
    entered();
    await released;
    return 'slow';
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // A second request on the same connection, sent once close has begun while the first is still answered.
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.on('data', (data) => (text += data.toString('latin1')));
  const ended = new Promise((resolve) => socket.on('close', resolve));
  socket.write('GET /edge-test/slow HTTP/1.1\r\nHost: x\r\n\r\n');
  await inHandler;
  const closed = server.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  socket.write('GET /api/forces HTTP/1.1\r\nHost: x\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 100));
  release();
  await ended;
  await closed;
  const second = text.slice(text.indexOf('HTTP/1.1', 10));
  const response = parseRaw(second);
  assert.equal(response.status, 503, text);
  assertSecured(response, 'closing');
  assert.equal(response.headers['x-error-code'], 'SC_ERR_SHUTTING_DOWN');
});
