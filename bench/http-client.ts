/**
 * Starts the load client thread and runs jobs on it one at a time. Node 20 loads
 * a worker's main module before `--import` hooks apply, so a tiny bootstrap
 * registers tsx first (the same way src/import/parse-runner.ts starts its worker).
 */
import { Worker } from 'node:worker_threads';

export interface ClientJob {
  base: string;
  urls: string[];
  concurrency: number;
  maxRequests: number;
  maxMs: number;
  /** Parse each body (after timing it) to count rows; off for throughput runs. */
  countRows: boolean;
}

export interface ClientResult {
  latenciesMs: number[];
  bytes: number[];
  rows: number[];
  statuses: Record<number, number>;
  errors: string[];
  elapsedMs: number;
}

export interface LoadClient {
  run(job: ClientJob): Promise<ClientResult>;
  close(): Promise<void>;
}

export function startLoadClient(): LoadClient {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./http-client.worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(code, { eval: true });
  let failure: Error | undefined;
  worker.on('error', (error) => (failure = error));
  return {
    run(job) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(error);
        worker.once('error', onError);
        worker.once('message', (result: ClientResult) => {
          worker.off('error', onError);
          resolve(result);
        });
        worker.postMessage(job);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
