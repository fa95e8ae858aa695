/**
 * Browser tests: Debian's headless Chromium driven by playwright-core, against
 * a real server on the demo data. Never downloads a browser. Where Chromium is
 * not installed the suites are skipped and say so; in CI (CI=true) a missing
 * Chromium fails the run, because CI is where these tests are mandatory.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { buildDemo } from '../demo/demo.service.ts';
import { openStore, type Store } from '../store/store.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SKIP_MESSAGE = 'Chromium not installed (apt-get install chromium): browser tests skipped';

/** Flags that work as root with no network; swiftshader gives MapLibre its WebGL. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
];

/**
 * The reason to skip the browser suites, or undefined to run them.
 * @throws when CI is 'true' and Chromium is missing: CI must not pass without them.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  if (process.env.CI === 'true') {
    throw new Error(`Chromium is required in CI but ${CHROMIUM_PATH} is missing: apt-get install -y chromium`);
  }
  console.log(`# ${SKIP_MESSAGE}`);
  return SKIP_MESSAGE;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

export interface DemoServer {
  baseUrl: string;
  app: FastifyInstance;
  store: Store;
  close(): Promise<void>;
}

/**
 * The whole app on the demo data, listening on a free local port. The tile URL
 * points at a port Chromium refuses to connect to (9, "unsafe"), so the basemap fails at once, as it does
 * without internet, whether or not the machine running the tests has any.
 */
export async function startDemoServer(): Promise<DemoServer> {
  const store = await openStore('sqlite::memory:');
  await buildDemo(store);
  const config = loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'test', MAP_TILE_URL: 'http://127.0.0.1:9/{z}/{x}/{y}.png' });
  const app = await buildApp(store, config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    store,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page as it is now, one line each ("" when none). */
export async function axeViolations(page: Page): Promise<string> {
  // Served as a same-origin file rather than injected inline, so the pages keep
  // their Content-Security-Policy under test and a violation of ours still shows.
  await page.route('**/__axe-core.js', (route) => route.fulfill({ path: AXE_PATH, contentType: 'text/javascript' }));
  await page.addScriptTag({ url: '/__axe-core.js' });
  // A string, not a function: tsx would compile a function with helpers the page does not have.
  const violations = (await page.evaluate(`axe.run().then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })),
  })))`)) as AxeViolation[];
  return violations.map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

/** Where screenshots for checking by eye go (git-ignored). */
export function screenshotPath(name: string): string {
  mkdirSync('scratch/screenshots', { recursive: true });
  return `scratch/screenshots/${name}.png`;
}
