/**
 * The import command as an operator runs it: a refused file makes it exit
 * non-zero and say which file and why; IMPORT_MAX_REJECTED_SHARE moves the limit.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { STREET, csvLine, id, streetRow, tempDir, writeFiles } from './test-fixtures.ts';

const BIN = fileURLToPath(new URL('../../bin/safe-communities.js', import.meta.url));
const FILE = '2024-03-cliffshire-street.csv';

interface Run {
  code: number;
  out: string;
}

async function runImport(path: string, env: Record<string, string>): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'import', path], { env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('safe-communities import: exit code and report', () => {
  let dir = '';
  let db = '';
  let path = '';
  before(async () => {
    db = join(await tempDir(), 'cli.db');
    // 97 good rows and 3 with coordinates that are not numbers: 3% rejected.
    const lines = Array.from({ length: 100 }, (_, i) =>
      csvLine(streetRow(id(i), '2024-03', i < 3 ? ['east', 'north'] : ['-1.1', '52.6'], 'Cliff Road', 'Burglary')));
    dir = await writeFiles({ [FILE]: `${STREET.join(',')}\n${lines.join('\n')}\n` });
    path = join(dir, FILE);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 1 and names the file and the reason when too many rows are rejected', { timeout: 60_000 }, async () => {
    const run = await runImport(path, { DATABASE_URL: `sqlite:${db}`, IMPORT_MAX_REJECTED_SHARE: '0.02' });
    assert.equal(run.code, 1, run.out);
    assert.match(run.out, /rejected: .*2024-03-cliffshire-street\.csv: 3 of 100 rows \(3%\) were rejected, more than the 2% allowed.* \[SC_ERR_IMPORT_TOO_MANY_REJECTED\]/);
    assert.match(run.out, /2024-03-cliffshire-street\.csv:2: coordinates/);
  });

  it('exits 0 when the share is within IMPORT_MAX_REJECTED_SHARE', { timeout: 60_000 }, async () => {
    const run = await runImport(path, { DATABASE_URL: `sqlite:${db}`, IMPORT_MAX_REJECTED_SHARE: '0.05' });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /imported 2024-03-cliffshire-street\.csv: 97 rows, 3 rejected/);
  });

  it('stops with exit code 2 on a share that is not a number from 0 to 1', { timeout: 60_000 }, async () => {
    const run = await runImport(path, { DATABASE_URL: `sqlite:${db}`, IMPORT_MAX_REJECTED_SHARE: '5%' });
    assert.equal(run.code, 2, run.out);
    assert.match(run.out, /IMPORT_MAX_REJECTED_SHARE="5%"/);
  });
});
