import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import Fastify from 'fastify';
import { buildApp, requestForLog } from './app.ts';
import { loadConfig } from './config.ts';
import { openStore } from './store/store.ts';

it('logs requests without their query string, where one-time tokens travel', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({ logger: { level: 'info', stream, serializers: { req: requestForLog } } });
  app.get('/recover/reset', async () => 'ok');
  await app.inject({ url: '/recover/reset?token=SECRET-TOKEN-123' });
  await app.close();
  const text = lines.join('');
  assert.match(text, /"url":"\/recover\/reset\?…"/);
  assert.ok(!text.includes('SECRET-TOKEN-123'), 'the token reached the log');
});

it('does not log a client’s mistakes as errors', async () => {
  const lines: string[] = [];
  const store = await openStore('sqlite::memory:');
  const app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'info', NODE_ENV: 'test' }), { logStream: { write: (line) => lines.push(line) } });
  try {
    const html = { accept: 'text/html' };
    const form = { ...html, 'content-type': 'application/x-www-form-urlencoded' };
    const mistakes = [
      { method: 'POST' as const, url: '/sign-in', headers: { ...html, 'content-type': 'application/json' }, payload: '{"email":' },
      { method: 'POST' as const, url: '/sign-in', headers: { ...html, 'content-type': 'text/xml' }, payload: '<email/>' },
      { method: 'POST' as const, url: '/sign-in', headers: form, payload: `email=${'x'.repeat(1_100_000)}` },
      { method: 'POST' as const, url: '/api/crimes-street/all-crime', headers: { 'content-type': 'application/json' }, payload: '{bad' },
      { url: '/%zz', headers: html },
      { url: '/api/%zz' },
      { url: `/neighbourhoods/${'a'.repeat(600)}`, headers: html },
      { url: `/api/leicestershire/${'a'.repeat(5000)}` },
      { url: '/no-such-page', headers: html },
      { url: '/api/no-such-endpoint' },
    ];
    for (const request of mistakes) {
      const response = await app.inject(request);
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${request.url.slice(0, 40)}: ${response.statusCode}`);
    }
  } finally {
    await app.close();
    await store.close();
  }
  const errors = lines.map((line) => JSON.parse(line) as { level: number; msg?: string }).filter((line) => line.level >= 50);
  assert.deepEqual(errors, []);
  assert.ok(lines.length > 0, 'nothing was logged at all');
});
