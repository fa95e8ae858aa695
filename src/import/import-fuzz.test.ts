/**
 * Property tests of the importer against damaged archives and CSVs (issue 15):
 * whatever the damage, the importer does not crash, its memory does not grow
 * with the input, every month is either replaced whole by a file that passed or
 * left exactly as it was, and no month is listed without data behind it.
 * A failure prints fast-check's seed and the shrunk plan that reproduces it. The seed
 * is fixed so CI is repeatable; IMPORT_FUZZ_SEED=<n> explores other cases.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import type { DatasetKind } from '../store/database.ts';
import type { Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { FORCE_ID, KINDS, MONTHS, buildFile, filePlanArb, goodRow, type FilePlan } from './corrupt-files.test-helper.ts';
import { importSources } from './import.service.ts';
import { HEADERS } from './csv-formats.ts';
import { csvLine, hasZipTool, peakRetainedMB } from './test-fixtures.ts';

/** Fixed so a run is repeatable; set IMPORT_FUZZ_SEED to explore further. */
const SEED = Number(process.env.IMPORT_FUZZ_SEED ?? 0x15f0);

type Container = 'csv' | 'zip' | 'zip-truncated' | 'zip-flipped';

interface Run {
  file: FilePlan;
  container: Container;
  zipAt: number;
  share: number;
  worker: boolean;
}

const runArb: fc.Arbitrary<Run> = fc.record({
  file: filePlanArb,
  container: fc.constantFrom<Container>(...(hasZipTool ? (['csv', 'csv', 'zip', 'zip-truncated', 'zip-flipped'] as const) : (['csv'] as const))),
  zipAt: fc.nat(),
  share: fc.constantFrom(0, 0.01, 0.1, 0.5, 1),
  // The worker costs a thread start per run; one run in six is enough to cover it.
  worker: fc.constantFrom(false, false, false, false, false, true),
});

/** Everything stored for one force/month/kind, in a form deepEqual can compare. */
async function monthKind(store: Store, month: string, kind: DatasetKind) {
  const rows = kind === 'street'
    ? await store.db.selectFrom('crimes').select(['persistent_id as key', 'location_id', 'category', 'outcome_code', 'lsoa_name'])
      .where('force_id', '=', FORCE_ID).where('month', '=', month).orderBy('id').execute()
    : kind === 'outcomes'
      ? await store.db.selectFrom('outcomes').select(['persistent_id as key', 'location_id', 'outcome_code'])
        .where('force_id', '=', FORCE_ID).where('month', '=', month).orderBy('id').execute()
      : await store.db.selectFrom('stops').select(['datetime as key', 'location_id', 'type'])
        .where('force_id', '=', FORCE_ID).where('month', '=', month).orderBy('id').execute();
  const publication = await store.db.selectFrom('publications').select(['rows', 'rejected', 'source'])
    .where('force_id', '=', FORCE_ID).where('month', '=', month).where('kind', '=', kind).executeTakeFirst();
  return { rows, publication };
}

async function snapshot(store: Store) {
  const all = new Map<string, Awaited<ReturnType<typeof monthKind>>>();
  for (const month of MONTHS) for (const kind of KINDS) all.set(`${month} ${kind}`, await monthKind(store, month, kind));
  return all;
}

describeEachStore('import: damaged files never cost a month its data', (getStore) => {
  let dir = '';
  let n = 0;

  /** Writes `bytes` as `path` inside a new folder of the run and returns the folder. */
  async function place(path: string, bytes: Buffer): Promise<string> {
    const folder = join(dir, `run-${++n}`);
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), bytes);
    return folder;
  }

  async function inputFor(run: Run, name: string, bytes: Buffer): Promise<string> {
    if (run.container === 'csv') return join(await place(name, bytes), name);
    const folder = await place(`${run.file.month}/${name}`, bytes);
    const zip = join(folder, 'archive.zip');
    execFileSync('zip', ['-q', '-r', zip, run.file.month], { cwd: folder });
    if (run.container === 'zip') return zip;
    const body = await readFile(zip);
    const pos = run.zipAt % body.length;
    if (run.container === 'zip-truncated') await writeFile(zip, body.subarray(0, pos));
    else {
      for (let i = pos; i < Math.min(pos + 4, body.length); i++) body[i] = body[i]! ^ 0x5a;
      await writeFile(zip, body);
    }
    return zip;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'import-fuzz-'));
    // Every month and kind holds data before the damaged files come.
    for (const month of MONTHS) {
      for (const kind of KINDS) {
        const rows = Array.from({ length: 20 }, () => csvLine(goodRow(kind, month).cells));
        const name = `${month}-${FORCE_ID}-${kind}.csv`;
        const text = `${HEADERS[kind].join(',')}\n${rows.join('\n')}\n`;
        const report = await importSources(getStore(), [join(await place(name, Buffer.from(text)), name)], {}, { worker: false });
        assert.equal(report.files[0]?.status, 'imported', report.files[0]?.error);
      }
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('replaces a month whole from a file that passed, or leaves it exactly as it was', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => {
        const { name, bytes, intact } = buildFile(run.file);
        const store = getStore();
        const before = await snapshot(store);
        const report = await importSources(store, [await inputFor(run, name, bytes)], {}, { worker: run.worker, maxRejectedShare: run.share });
        const afterwards = await snapshot(store);

        const readable = run.container === 'csv' || run.container === 'zip';
        const file = report.files[0];
        if (readable) {
          assert.equal(report.files.length, 1, JSON.stringify(report));
          assert.notEqual(file?.status, 'failed', file?.error);
        }
        const imported = file?.status === 'imported';
        if (imported) {
          assert.ok(file.rows > 0, 'a file with no good row is never imported');
          assert.ok(file.rejected / (file.rows + file.rejected) <= run.share, `${file.rejected} rejected of ${file.rows + file.rejected}`);
        }
        for (const [key, was] of before) {
          const now = afterwards.get(key)!;
          if (!imported || key !== `${run.file.month} ${run.file.kind}`) {
            assert.deepEqual(now, was, `${key} changed though no file for it was imported`);
            continue;
          }
          assert.deepEqual(now.publication, { rows: file.rows, rejected: file.rejected, source: file.file });
          if (run.file.kind === 'outcomes') assert.ok(now.rows.length <= file.rows);
          else assert.equal(now.rows.length, file.rows);
          if (readable && intact) {
            const stored = new Set(now.rows.map((r) => r.key));
            for (const k of intact) assert.ok(stored.has(k), `row ${k}, untouched by the damage, was not imported`);
          }
        }
        for (const [key, now] of afterwards) {
          if (now.publication) assert.ok(now.publication.rows > 0 && now.rows.length > 0, `${key} is listed with no data`);
        }
      }),
      { numRuns: 60, seed: SEED },
    );
  });

  it('keeps memory flat, however large the damage', { timeout: 120_000 }, async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ',', ' ', 'é', '\t', '\r', '0'), minLength: 1, maxLength: 40 });
    const shape = fc.constantFrom('endless-quote', 'unclosed-lines', 'long-lines', 'nul-lines');
    await fc.assert(
      fc.asyncProperty(shape, text, async (shape, text) => {
        const header = `${HEADERS.street.join(',')}\n`;
        const body = (mb: number): Buffer => {
          const unit = shape === 'endless-quote' ? text
            : shape === 'unclosed-lines' ? `${text},"${text}\n`
              : shape === 'long-lines' ? `${text.repeat(Math.ceil(20_000 / text.length))}\n`
                : `${text}\u0000${text}\n`;
          const block = Buffer.from(unit.repeat(Math.ceil(65_536 / unit.length)));
          const blocks = Math.ceil((mb << 20) / block.length);
          return Buffer.concat([Buffer.from(shape === 'endless-quote' ? `${header}"` : header), ...Array(blocks).fill(block)]);
        };
        const growth = async (mb: number) => {
          const path = join(await place(`2024-01-${FORCE_ID}-street.csv`, body(mb)), `2024-01-${FORCE_ID}-street.csv`);
          return peakRetainedMB(async () => {
            const report = await importSources(getStore(), [path], {}, { worker: false });
            assert.equal(report.files[0]?.status, 'rejected', report.files[0]?.error);
          });
        };
        const small = await growth(2);
        const large = await growth(24);
        // Reading holds a few chunks of 256 KB at most, whatever the size of the file.
        assert.ok(large < small + 8, `${shape}: ${large.toFixed(1)} MB held while reading 24 MB, ${small.toFixed(1)} MB for 2 MB`);
      }),
      { numRuns: 4, seed: SEED },
    );
  });
});
