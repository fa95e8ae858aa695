/**
 * Feeds a file's bytes to a CsvRowParser and hands back what it gives, either in
 * a worker thread (import runs: parsing then overlaps the store's writes on a
 * second core) or inline. Memory stays flat: the input is paused while
 * MAX_IN_FLIGHT chunks are parsed or waiting to be written.
 */
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { CsvRowParser, PointIndex, type FileTarget, type ParseOutput } from './row-parser.ts';

export type ToWorker =
  | { type: 'start'; id: number; name: string; target: FileTarget }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'output'; id: number; output: ParseOutput; final: boolean }
  | { type: 'error'; id: number; message: string };

/** Bytes gathered before a chunk is parsed: fewer, larger messages to the worker. */
const CHUNK_BYTES = 256 * 1024;
const MAX_IN_FLIGHT = 16;

export interface RowParserHost {
  /** Yields the parsed output chunk by chunk; stopping early destroys the input. */
  parse(input: Readable, name: string, target: FileTarget, onBytes?: (bytes: number) => void): AsyncGenerator<ParseOutput>;
  close(): Promise<void>;
}

type Item = { output: ParseOutput; final: boolean } | { error: Error };

/** The flow control both hosts share: `send` passes a chunk (or the end) to a parser, `receive` gets its answer. */
async function* feed(
  input: Readable,
  onBytes: ((bytes: number) => void) | undefined,
  send: (chunk: Uint8Array | null) => void,
  attach: (receive: (item: Item) => void) => void,
): AsyncGenerator<ParseOutput> {
  const queue: Item[] = [];
  let wake: (() => void) | undefined;
  let inFlight = 0;
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let ended = false;
  const receive = (item: Item) => {
    queue.push(item);
    wake?.();
  };
  attach(receive);
  const flush = (last: boolean) => {
    if (pendingBytes > 0) {
      send(pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes));
      inFlight += 1;
      pending = [];
      pendingBytes = 0;
    }
    if (last) {
      send(null);
      inFlight += 1;
    }
    if (inFlight >= MAX_IN_FLIGHT) input.pause();
  };
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    onBytes?.(bytes);
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= CHUNK_BYTES) flush(false);
  });
  input.once('end', () => {
    ended = true;
    flush(true);
  });
  input.once('error', (error: Error) => receive({ error }));
  try {
    while (true) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const item = queue.shift()!;
      if ('error' in item) throw item.error;
      inFlight -= 1;
      if (!ended && inFlight < MAX_IN_FLIGHT && input.isPaused()) input.resume();
      yield item.output;
      if (item.final) return;
    }
  } finally {
    if (!ended) input.destroy();
  }
}

/** Parses in the calling thread, for small imports. */
export function inlineParser(): RowParserHost {
  const points = new PointIndex();
  return {
    parse(input, name, target, onBytes) {
      const parser = new CsvRowParser(name, target, points);
      let receive: (item: Item) => void = () => undefined;
      return feed(input, onBytes, (chunk) => {
        try {
          receive(chunk ? { output: parser.push(chunk), final: false } : { output: parser.end(), final: true });
        } catch (error) {
          receive({ error: error instanceof Error ? error : new Error(String(error)) });
        }
      }, (r) => (receive = r));
    },
    async close() {},
  };
}

/**
 * A worker needs tsx to load TypeScript, and Node 20 loads a worker's main module
 * before `--import` hooks are ready, so a small bootstrap registers tsx first.
 */
function startWorker(): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./parse.worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true });
}

/** One worker for a whole import run, files parsed one after another. */
export function workerParser(): RowParserHost {
  const worker = startWorker();
  const receivers = new Map<number, (item: Item) => void>();
  let nextId = 1;
  let failure: Error | undefined;
  worker.unref(); // kept alive only while a file is being parsed
  worker.on('message', (message: FromWorker) => {
    const receive = receivers.get(message.id);
    if (!receive) return;
    if (message.type === 'error') receive({ error: new Error(message.message) });
    else receive({ output: message.output, final: message.final });
  });
  const fail = (error: Error) => {
    failure = error;
    for (const receive of receivers.values()) receive({ error });
  };
  worker.on('error', (error) => fail(new Error(`the CSV parser stopped: ${error.message}`)));
  worker.on('exit', () => fail(failure ?? new Error('the CSV parser stopped')));

  return {
    async *parse(input, name, target, onBytes) {
      if (failure) throw failure;
      const id = nextId++;
      const post = (message: ToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(message, transfer);
      post({ type: 'start', id, name, target });
      if (receivers.size === 0) worker.ref();
      try {
        yield* feed(input, onBytes, (chunk) => {
          if (!chunk) return post({ type: 'end', id });
          // A buffer that owns its memory is moved, not copied; pooled small ones are copied.
          const owns = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer;
          post({ type: 'chunk', id, data: chunk }, owns ? [chunk.buffer as ArrayBuffer] : []);
        }, (receive) => receivers.set(id, receive));
      } finally {
        if (receivers.delete(id)) post({ type: 'cancel', id });
        if (receivers.size === 0) worker.unref();
      }
    },
    async close() {
      receivers.clear();
      await worker.terminate();
    },
  };
}

/**
 * Starts `parsed` at once (reading and parsing begin before anyone asks for a
 * row) and hands back the same sequence. Closing it early closes `parsed`.
 */
export function startedEarly(parsed: AsyncGenerator<ParseOutput>): AsyncGenerator<ParseOutput> {
  const first = parsed.next();
  first.catch(() => undefined); // handled when the first row is asked for
  return (async function* () {
    try {
      const item = await first;
      if (item.done) return;
      yield item.value;
      yield* parsed;
    } finally {
      await parsed.return(undefined);
    }
  })();
}
