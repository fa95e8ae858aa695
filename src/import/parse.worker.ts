/**
 * The parse worker: receives the bytes of CSV files from the main thread and
 * answers every message with the rows and rejections it gave, so parsing runs
 * on another core while the main thread writes to the store.
 */
import { parentPort } from 'node:worker_threads';
import { CsvRowParser, PointIndex } from './row-parser.ts';
import type { FromWorker, ToWorker } from './parse-runner.ts';

const port = parentPort;
if (!port) throw new Error('parse.worker.ts must run in a worker thread');
const parsers = new Map<number, CsvRowParser>();
// One numbering for the worker's life, which is one import run.
const points = new PointIndex();

port.on('message', (message: ToWorker) => {
  const { id } = message;
  let reply: FromWorker;
  try {
    if (message.type === 'start') {
      parsers.set(id, new CsvRowParser(message.name, message.target, points));
      return;
    }
    if (message.type === 'cancel') {
      parsers.delete(id);
      return;
    }
    const parser = parsers.get(id);
    if (!parser) return; // cancelled while the message was on its way
    if (message.type === 'chunk') {
      reply = { type: 'output', id, output: parser.push(message.data), final: false };
    } else {
      parsers.delete(id);
      reply = { type: 'output', id, output: parser.end(), final: true };
    }
  } catch (error) {
    parsers.delete(id);
    reply = { type: 'error', id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
