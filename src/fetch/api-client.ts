/**
 * A small client for any data.police.uk-compatible API: paced requests,
 * retries with exponential backoff on 429, 5xx and network failures (honouring
 * Retry-After), and errors that say what went wrong in terms a user can act on.
 */
import { systemClock, type Clock } from './clock.ts';
import { Pacer } from './pacer.ts';

export type ApiErrorKind = 'not-found' | 'unreachable' | 'http' | 'not-json';

export class ApiError extends Error {
  /** The cause in a few words, without the URL (e.g. `connect ECONNREFUSED 127.0.0.1:80`). */
  readonly reason: string;
  constructor(
    readonly kind: ApiErrorKind,
    readonly url: string,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; reason?: string },
  ) {
    super(message, options);
    this.reason = options?.reason ?? message;
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** Base URL, e.g. `https://data.police.uk/api` (a trailing slash is fine). */
  baseUrl: string;
  /** Requests per second. */
  rate: number;
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** First backoff delay in ms, doubled each retry (default 500). */
  backoffMs?: number;
  /** Per-request timeout in ms (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  clock?: Clock;
  /** Called before each retry, for progress output. */
  onRetry?: (url: string, attempt: number, delayMs: number, reason: string) => void;
}

const MAX_BACKOFF_MS = 30_000;

export class ApiClient {
  readonly baseUrl: string;
  requests = 0;
  retries = 0;
  private readonly pacer: Pacer;
  private readonly clock: Clock;
  private readonly fetchImpl: typeof globalThis.fetch;

  constructor(private readonly options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.pacer = new Pacer(options.rate, this.clock);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** The URL for path segments, each percent-encoded (NI neighbourhood ids contain spaces). */
  url(...segments: string[]): string {
    return `${this.baseUrl}/${segments.map(encodeURIComponent).join('/')}`;
  }

  /**
   * GETs `url` and parses JSON.
   * @throws ApiError: `not-found` for 404, `unreachable` when every attempt failed
   * at the network, `http` for other statuses, `not-json` for a non-JSON body.
   */
  async getJson(url: string): Promise<unknown> {
    const maxRetries = this.options.maxRetries ?? 4;
    for (let attempt = 0; ; attempt++) {
      await this.pacer.wait();
      this.requests++;
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          headers: { accept: 'application/json', 'user-agent': 'safe-communities-fetch' },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
      } catch (error) {
        if (attempt < maxRetries) {
          await this.backoff(url, attempt, undefined, `network error: ${describe(error)}`);
          continue;
        }
        throw new ApiError('unreachable', url, `Cannot reach ${url}: ${describe(error)}`, undefined, { cause: error, reason: describe(error) });
      }
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        if (attempt < maxRetries) {
          await this.backoff(url, attempt, response.headers.get('retry-after'), `HTTP ${response.status}`);
          continue;
        }
        throw new ApiError('http', url, `${url} answered HTTP ${response.status} after ${maxRetries + 1} attempts`, response.status);
      }
      if (response.status === 404) {
        await response.body?.cancel();
        throw new ApiError('not-found', url, `${url} answered 404 Not Found`, 404);
      }
      const text = await response.text();
      if (!response.ok) throw new ApiError('http', url, `${url} answered HTTP ${response.status}`, response.status);
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new ApiError('not-json', url, `${url} did not answer JSON (is the base URL the API's, ending in /api?)`, response.status, { cause: error });
      }
    }
  }

  /** Like getJson, but a 404 gives `undefined`. */
  async getJsonOrUndefined(url: string): Promise<unknown> {
    try {
      return await this.getJson(url);
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  private async backoff(url: string, attempt: number, retryAfter: string | null | undefined, reason: string): Promise<void> {
    const exponential = Math.min(MAX_BACKOFF_MS, (this.options.backoffMs ?? 500) * 2 ** attempt);
    const asked = retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 0;
    const delay = Math.min(MAX_BACKOFF_MS, Math.max(exponential, asked));
    this.retries++;
    this.options.onRetry?.(url, attempt + 1, delay, reason);
    await this.clock.sleep(delay);
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    return cause ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
