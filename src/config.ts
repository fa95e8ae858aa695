/**
 * Configuration from environment variables, validated once at start and frozen.
 * A bad value stops the start with one message that lists every problem, so an
 * operator fixes them all in one go rather than one per restart.
 */
import { z } from 'zod';

const integer = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(v), {
    message: 'must be true or false',
  })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** A share from 0 to 1 written as a decimal (0.01 for 1%). */
const share = z
  .string()
  .trim()
  .regex(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, 'must be a number from 0 to 1, such as 0.01 for 1%')
  .transform(Number);

/** A limit that can be switched off with `off` or `0`. */
const optionalLimit = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === 'off' || /^\d+$/.test(v), { message: "must be a whole number or 'off'" })
  .transform((v) => (v === 'off' || v === '0' ? null : Number(v)));

/**
 * Which X-Forwarded-For entries to believe. Never "all of them": the left-most entry
 * is whatever the client wrote, so trusting it would let anyone pick the address
 * that per-client limits and the audit log see. 'true' means one proxy in front.
 */
const trustProxy = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v, ctx): false | number | string[] => {
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    if (['true', 'yes', 'on'].includes(v)) return 1;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v.split(',').map((e) => e.trim()).filter((e) => e !== '');
    const address = /^([0-9.]+|[0-9a-f:]+)(\/\d{1,3})?$/;
    if (entries.length > 0 && entries.every((e) => address.test(e))) return entries;
    ctx.addIssue({ code: 'custom', message: 'must be false, a number of proxies (1 for one), or the proxies’ addresses or CIDR ranges, comma-separated' });
    return z.NEVER;
  });

const databaseUrl = z
  .string()
  .trim()
  .refine((v) => /^(postgres|postgresql):\/\/.+/.test(v) || /^sqlite:.+/.test(v), {
    message: "must start with postgres:// or sqlite: (for example sqlite:./data/safe-communities.db)",
  });

/** WCAG contrast ratio of white against a #rrggbb colour. */
function contrastWithWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return 1.05 / (luminance + 0.05);
}

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Unset: loopback in development and tests (a laptop on a shared network publishes
  // nothing, /dev/mail included); every IPv4 interface in production, where a container
  // or a proxy on another machine must reach the server. See defaultHost.
  HOST: z.string().trim().min(1).optional(),
  PORT: integer(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: databaseUrl.default('sqlite:./data/safe-communities.db'),
  DEMO_ON_EMPTY_STORE: flag.default(true),
  API_RATE_LIMIT_PER_SECOND: integer(0, 100000).default(15),
  API_RATE_LIMIT_BURST: integer(1, 100000).default(30),
  API_AREA_LIMIT: optionalLimit.default(10000),
  API_MONTHS_SERVED: integer(1, 1200).default(36),
  API_MEMORY_MONTHS: integer(0, 120).default(3),
  TRUST_PROXY: trustProxy.default(false),
  SITE_NAME: z.string().trim().min(1).max(80).default('SAFE Communities'),
  SITE_ORGANISATION: z.string().trim().min(1).max(120).default('Demoshire Police and Crime Commissioner'),
  SITE_BRAND_COLOUR: z
    .string()
    .trim()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1d3557')
    // White header text on it must meet WCAG AA (4.5:1).
    .refine((hex) => contrastWithWhite(hex) >= 4.5, { message: 'is too light: white text on it must have a contrast ratio of at least 4.5:1' })
    .default('#1d3557'),
  SITE_LOGO_FILE: z.string().trim().min(1).optional(),
  MAP_TILE_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/.+\{z\}.*\{x\}.*\{y\}/, 'must be an http(s) URL template with {z}, {x} and {y}')
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
  MAP_TILE_ATTRIBUTION: z.string().trim().min(1).default('© OpenStreetMap contributors'),
  // The site's address as people reach it: links in emails are built from it.
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^/?#]+$/, 'must be the site origin, like https://safe.example.org (no path or trailing slash)')
    .default('http://localhost:3000'),
  // Signs CSRF tokens and encrypts MFA secrets. Required in production; development
  // and tests fall back to a fixed, public key (see DEVELOPMENT_SECRET_KEY).
  SECRET_KEY: z.string().trim().min(32, 'must be at least 32 characters (for example: openssl rand -base64 32)').optional(),
  // Where email goes. Unset: messages wait in the outbox (shown at /dev/mail in development).
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/.+/, 'must be an smtp:// or smtps:// URL, like smtp://user:pass@mail.example.org:587')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('SAFE Communities <no-reply@localhost>'),
  // Sessions end after this long without a request, and this long after sign-in whatever happens
  // (NIST SP 800-63B AAL2: 30 minutes idle, 12 hours absolute).
  SESSION_IDLE_MINUTES: integer(1, 1440).default(30),
  SESSION_ABSOLUTE_HOURS: integer(1, 720).default(12),
  // An import file with a larger share of rejected rows replaces nothing (see .env.example).
  IMPORT_MAX_REJECTED_SHARE: share.default(0.01),
  // Slow clients hold connections: the request line and headers must arrive within
  // HTTP_HEADERS_TIMEOUT_SECONDS and the whole request, body included, within
  // HTTP_REQUEST_TIMEOUT_SECONDS (a byte every few seconds never resets either), else 408.
  HTTP_HEADERS_TIMEOUT_SECONDS: integer(1, 3600).default(20),
  HTTP_REQUEST_TIMEOUT_SECONDS: integer(1, 3600).default(60),
  // A connection on which nothing moves either way (such as a client that stops reading
  // its response) is closed after this; 'off' never closes one.
  HTTP_IDLE_TIMEOUT_SECONDS: optionalLimit.default(120),
  // How long a kept-alive connection waits for its next request: longer than the usual
  // load balancer's 60 seconds, so the balancer, not the server, closes idle connections.
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: integer(1, 3600).default(72),
});

/** Where to listen when HOST is unset. */
export function defaultHost(nodeEnv: 'development' | 'production' | 'test'): string {
  return nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1';
}

/** Used when SECRET_KEY is unset outside production. It is public, so it protects nothing. */
export const DEVELOPMENT_SECRET_KEY = 'development-only-secret-key-do-not-use-in-production';

const checked = schema.superRefine((config, ctx) => {
  if (config.NODE_ENV === 'production' && config.SECRET_KEY === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SECRET_KEY'], message: 'must be set in production (for example: openssl rand -base64 32)' });
  }
  if (config.NODE_ENV === 'production' && !config.PUBLIC_URL.startsWith('https://')) {
    ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must start with https:// in production (session cookies are Secure)' });
  }
  // Node refuses a headers limit longer than the whole request's.
  if (config.HTTP_HEADERS_TIMEOUT_SECONDS > config.HTTP_REQUEST_TIMEOUT_SECONDS) {
    ctx.addIssue({ code: 'custom', path: ['HTTP_HEADERS_TIMEOUT_SECONDS'], message: `must not be longer than HTTP_REQUEST_TIMEOUT_SECONDS (${config.HTTP_REQUEST_TIMEOUT_SECONDS})` });
  }
}).transform((config) => ({
  ...config,
  HOST: config.HOST ?? defaultHost(config.NODE_ENV),
  SECRET_KEY: config.SECRET_KEY ?? DEVELOPMENT_SECRET_KEY,
  // Cookies are Secure everywhere but development and tests served over plain http.
  COOKIE_SECURE: config.NODE_ENV === 'production' || config.PUBLIC_URL.startsWith('https://'),
}));

export type Config = Readonly<z.output<typeof checked>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the configuration from `env` (process.env by default).
 * Empty strings count as unset, so `PORT=` in a .env file means "use the default".
 * @throws ConfigError listing every invalid variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<keyof z.infer<typeof schema>, string>> = {}): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = overrides[key as keyof typeof overrides] ?? env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = checked.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        return input[key] === undefined ? `${key} (unset): ${issue.message}` : `${key}=${JSON.stringify(input[key])}: ${issue.message}`;
      }),
    );
  }
  return Object.freeze(parsed.data);
}
