import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient, ApiError } from './api-client.ts';
import { FakeClock } from './test-clock.ts';

type Answer = Response | Error;

/** A fetch that gives the scripted answers in order and records the URLs asked. */
function scripted(answers: Answer[]) {
  const urls: string[] = [];
  const fetch = async (input: string | URL | Request): Promise<Response> => {
    urls.push(input instanceof Request ? input.url : String(input));
    const next = answers.shift();
    if (!next) throw new Error('no more scripted answers');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch: fetch as typeof globalThis.fetch, urls };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function client(answers: Answer[], maxRetries = 3) {
  const clock = new FakeClock();
  const script = scripted(answers);
  const api = new ApiClient({ baseUrl: 'http://api.test/api/', rate: 10, maxRetries, backoffMs: 500, fetch: script.fetch, clock });
  return { api, clock, urls: script.urls };
}

describe('ApiClient', () => {
  it('encodes each path segment (NI ids have spaces)', () => {
    const { api } = client([]);
    assert.equal(api.url('northern-ireland', 'Belfast City Centre', 'boundary'), 'http://api.test/api/northern-ireland/Belfast%20City%20Centre/boundary');
  });

  it('retries 429 honouring Retry-After, and 5xx with doubling backoff', async () => {
    const { api, clock } = client([
      new Response('', { status: 429, headers: { 'retry-after': '2' } }),
      new Response('', { status: 503 }),
      new Response('', { status: 502 }),
      json([{ id: 'a', name: 'A' }]),
    ]);
    assert.deepEqual(await api.getJson(api.url('forces')), [{ id: 'a', name: 'A' }]);
    // Pacing at 10/s puts 100 ms between starts only where the backoff was shorter; here every backoff is longer.
    assert.deepEqual(clock.sleeps, [2000, 1000, 2000]);
    assert.equal(api.requests, 4);
    assert.equal(api.retries, 3);
  });

  it('retries network errors and then succeeds', async () => {
    const { api, clock } = client([new TypeError('fetch failed'), json({ ok: 1 })]);
    assert.deepEqual(await api.getJson('http://api.test/api/x'), { ok: 1 });
    assert.deepEqual(clock.sleeps, [500]);
  });

  it('gives up on a network error after the retries, as unreachable', async () => {
    const { api, clock } = client([new TypeError('fetch failed'), new TypeError('fetch failed'), new TypeError('fetch failed')], 2);
    await assert.rejects(api.getJson('http://api.test/api/x'), (e: unknown) => e instanceof ApiError && e.kind === 'unreachable');
    assert.deepEqual(clock.sleeps, [500, 1000]);
  });

  it('gives up on repeated 5xx with the status', async () => {
    const { api } = client([new Response('', { status: 500 }), new Response('', { status: 500 })], 1);
    await assert.rejects(api.getJson('http://api.test/api/x'), (e: unknown) => e instanceof ApiError && e.kind === 'http' && e.status === 500);
  });

  it('does not retry a 404, and getJsonOrUndefined turns it into undefined', async () => {
    const { api, clock } = client([new Response('Not Found', { status: 404 }), new Response('Not Found', { status: 404 })]);
    await assert.rejects(api.getJson('http://api.test/api/x'), (e: unknown) => e instanceof ApiError && e.kind === 'not-found');
    assert.equal(await api.getJsonOrUndefined('http://api.test/api/x'), undefined);
    assert.equal(api.requests, 2);
    assert.deepEqual(clock.sleeps, [100]);
  });

  it('says when the answer is not JSON', async () => {
    const { api } = client([new Response('<html></html>', { status: 200 })]);
    await assert.rejects(api.getJson('http://api.test/api/x'), (e: unknown) => e instanceof ApiError && e.kind === 'not-json');
  });
});
