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
