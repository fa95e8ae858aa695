/**
 * The benchmark's baseline: reads the same sources with the same csv-parse
 * settings as an import, and does nothing else with the records.
 */
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { CSV_OPTIONS } from './row-parser.ts';
import { csvSources } from './sources.ts';

/** Data rows (headers excluded) parsed from every CSV in `inputs`, and the time it took. */
export async function parseOnly(inputs: string[]): Promise<{ rows: number; ms: number }> {
  const started = performance.now();
  let rows = 0;
  for (const input of inputs) {
    for await (const source of csvSources(input)) {
      const parser = parse(CSV_OPTIONS);
      const reading = pipeline(await source.open(), parser);
      let records = 0;
      for await (const _record of parser as AsyncIterable<string[]>) records += 1;
      await reading;
      rows += Math.max(records - 1, 0);
    }
  }
  return { rows, ms: performance.now() - started };
}
