import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

it('uses the embedded defaults when nothing is set', () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 3000);
  assert.equal(config.DATABASE_URL, 'sqlite:./data/safe-communities.db');
  assert.equal(config.API_AREA_LIMIT, 10000);
  assert.ok(Object.isFrozen(config));
});

it('lists every bad variable at once', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', API_AREA_LIMIT: 'lots', DEMO_ON_EMPTY_STORE: 'maybe' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 4);
      assert.match(error.message, /PORT="eighty": must be a whole number/);
      assert.match(error.message, /DATABASE_URL/);
      assert.match(error.message, /API_AREA_LIMIT/);
      assert.match(error.message, /DEMO_ON_EMPTY_STORE/);
      return true;
    },
  );
});

it("switches the area limit off with 'off'", () => {
  assert.equal(loadConfig({ API_AREA_LIMIT: 'off' }).API_AREA_LIMIT, null);
});

it('refuses a brand colour too light for white header text', () => {
  assert.throws(() => loadConfig({ SITE_BRAND_COLOUR: '#ffdd00' }), /SITE_BRAND_COLOUR.*too light/);
  assert.equal(loadConfig({ SITE_BRAND_COLOUR: '#1d3557' }).SITE_BRAND_COLOUR, '#1d3557');
});

it('never trusts every X-Forwarded-For hop: true means one proxy', () => {
  assert.equal(loadConfig({}).TRUST_PROXY, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, 1);
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.5' }).TRUST_PROXY, ['10.0.0.0/8', '192.168.1.5']);
  assert.throws(() => loadConfig({ TRUST_PROXY: 'everyone' }), /TRUST_PROXY/);
});

it('listens on loopback in development and tests, on every interface in production, and where HOST says', () => {
  const production = { NODE_ENV: 'production', SECRET_KEY: 'x'.repeat(32), PUBLIC_URL: 'https://safe.example.org' };
  assert.equal(loadConfig({}).HOST, '127.0.0.1');
  assert.equal(loadConfig({ NODE_ENV: 'test' }).HOST, '127.0.0.1');
  assert.equal(loadConfig(production).HOST, '0.0.0.0');
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).HOST, '0.0.0.0');
  assert.equal(loadConfig({ ...production, HOST: '127.0.0.1' }).HOST, '127.0.0.1');
});

it('cuts slow requests: headers, whole requests, idle connections and kept-alive ones have time limits', () => {
  const config = loadConfig({});
  assert.equal(config.HTTP_HEADERS_TIMEOUT_SECONDS, 20);
  assert.equal(config.HTTP_REQUEST_TIMEOUT_SECONDS, 60);
  assert.equal(config.HTTP_IDLE_TIMEOUT_SECONDS, 120);
  assert.equal(config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS, 72);
  assert.equal(loadConfig({ HTTP_IDLE_TIMEOUT_SECONDS: 'off' }).HTTP_IDLE_TIMEOUT_SECONDS, null);
  assert.throws(() => loadConfig({ HTTP_REQUEST_TIMEOUT_SECONDS: '0' }), /HTTP_REQUEST_TIMEOUT_SECONDS/);
  assert.throws(() => loadConfig({ HTTP_HEADERS_TIMEOUT_SECONDS: '90' }), /HTTP_HEADERS_TIMEOUT_SECONDS="90": must not be longer than HTTP_REQUEST_TIMEOUT_SECONDS/);
});

it('reads IMPORT_MAX_REJECTED_SHARE as a share from 0 to 1, 1% by default', () => {
  assert.equal(loadConfig({}).IMPORT_MAX_REJECTED_SHARE, 0.01);
  assert.equal(loadConfig({ IMPORT_MAX_REJECTED_SHARE: '0.05' }).IMPORT_MAX_REJECTED_SHARE, 0.05);
  assert.equal(loadConfig({ IMPORT_MAX_REJECTED_SHARE: '0' }).IMPORT_MAX_REJECTED_SHARE, 0);
  assert.equal(loadConfig({ IMPORT_MAX_REJECTED_SHARE: '1' }).IMPORT_MAX_REJECTED_SHARE, 1);
  for (const bad of ['5%', '1.5', '-0.1', 'half', 'NaN']) {
    assert.throws(() => loadConfig({ IMPORT_MAX_REJECTED_SHARE: bad }), /IMPORT_MAX_REJECTED_SHARE.*from 0 to 1/, bad);
  }
});
