/**
 * The load client, in its own thread so its work (HTTP parsing, reading bodies)
 * runs on the second core instead of inflating the server's latency on the main
 * thread. Loopback only, keep-alive connections, every run bounded by a request
 * count and a time limit.
 */
import { Agent, request } from 'node:http';
import { parentPort } from 'node:worker_threads';
import type { ClientJob, ClientResult } from './http-client.ts';

const port = parentPort;
if (!port) throw new Error('http-client.worker.ts must run in a worker thread');

function get(agent: Agent, base: URL, path: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: base.hostname, port: base.port, path, agent, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end();
  });
}

/** Rows in an answer: an array's length, or a crime history's outcomes. */
function rowsIn(body: Buffer): number {
  const value: unknown = JSON.parse(body.toString('utf8'));
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object' && 'outcomes' in value && Array.isArray(value.outcomes)) return value.outcomes.length;
  return 0;
}

async function run(job: ClientJob): Promise<ClientResult> {
  const base = new URL(job.base);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const result: ClientResult = { latenciesMs: [], bytes: [], rows: [], statuses: {}, errors: [], elapsedMs: 0 };
  let next = 0;
  const started = performance.now();
  const deadline = started + job.maxMs;
  const client = async () => {
    // Bounded twice: by the request count and by the deadline.
    while (next < job.maxRequests && performance.now() < deadline) {
      const path = job.urls[next % job.urls.length]!;
      next += 1;
      const t = performance.now();
      try {
        const { status, body } = await get(agent, base, path);
        result.latenciesMs.push(performance.now() - t);
        result.bytes.push(body.length);
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (job.countRows && status === 200) result.rows.push(rowsIn(body));
      } catch (error) {
        if (result.errors.length < 5) result.errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  return result;
}

port.on('message', (job: ClientJob) => {
  run(job).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ latenciesMs: [], bytes: [], rows: [], statuses: {}, errors: [String(error)], elapsedMs: 0 } satisfies ClientResult),
  );
});
