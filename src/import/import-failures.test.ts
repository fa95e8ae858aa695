import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { importSources } from './import.service.ts';
import { STREET, bigStreetFile, csv, hasZipTool, id, makeZip, streetRow, tableCounts } from './test-fixtures.ts';

const noZip = hasZipTool ? false : 'the zip command is not installed';

/** Serves `routes`; a route of kind 'half' sends half its body then destroys the socket. */
async function serve(routes: Record<string, { body: Buffer; mode: 'ok' | 'half' | '404' }>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const route = routes[req.url ?? ''];
    if (!route || route.mode === '404') {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': route.body.length });
    if (route.mode === 'ok') {
      res.end(route.body);
      return;
    }
    res.write(route.body.subarray(0, route.body.length >> 1), () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describeEachStore('import: broken inputs leave the store as it was', (getStore) => {
  let zip = '';
  let http: { server: Server; url: string } | undefined;
  const csvText = csv(STREET, [streetRow(id(7), '2024-06', ['-1.1', '52.6'], 'High Street', 'Burglary')]);

  before(async () => {
    if (!hasZipTool) return;
    zip = await makeZip({ '2024-05/2024-05-leicestershire-street.csv': bigStreetFile('2024-05', 20_000) });
    const zipBody = await readFile(zip);
    http = await serve({
      '/archive.zip': { body: zipBody, mode: 'ok' },
      '/2024-06-leicestershire-street.csv': { body: Buffer.from(csvText), mode: 'ok' },
      '/half.zip': { body: zipBody, mode: 'half' },
      '/half.csv': { body: Buffer.from(csvText.repeat(1)), mode: 'half' },
      '/missing.zip': { body: Buffer.alloc(0), mode: '404' },
    });
  });
  after(() => http?.server.close());

  it('a zip truncated in the middle imports nothing', { skip: noZip }, async () => {
    const before = await tableCounts(getStore());
    const body = await readFile(zip);
    const truncated = `${zip}.truncated.zip`;
    await writeFile(truncated, body.subarray(0, body.length >> 1));
    const report = await importSources(getStore(), [truncated]);
    assert.equal(report.rowsImported, 0);
    assert.equal(report.sourceErrors.length, 1);
    assert.match(report.sourceErrors[0]!, /truncated\.zip/);
    assert.deepEqual(await tableCounts(getStore()), before);
  });

  it('a zip whose data is corrupt part way rolls back the file it was reading', { skip: noZip }, async () => {
    const before = await tableCounts(getStore());
    const body = Buffer.from(await readFile(zip));
    // Deflated data past the first rows, so some rows have been written when the damage is found.
    for (let i = Math.floor(body.length * 0.6); i < Math.floor(body.length * 0.6) + 64; i++) body[i] = 0xff ^ body[i]!;
    const corrupt = `${zip}.corrupt.zip`;
    await writeFile(corrupt, body);
    const report = await importSources(getStore(), [corrupt]);
    assert.equal(report.files[0]?.status, 'failed');
    assert.match(report.files[0]?.error ?? '', /nothing from this file was kept/);
    assert.equal(report.rowsImported, 0);
    assert.deepEqual(await tableCounts(getStore()), before);
  });

  it('a download that breaks off half way imports nothing', { skip: noZip }, async () => {
    const before = await tableCounts(getStore());
    const report = await importSources(getStore(), [`${http!.url}/half.zip`, `${http!.url}/half.csv`]);
    assert.equal(report.rowsImported, 0);
    assert.equal(report.sourceErrors.length, 2, report.sourceErrors.join('\n'));
    assert.deepEqual(await tableCounts(getStore()), before);
  });

  it('a download answered with 404 imports nothing and says so', { skip: noZip }, async () => {
    const before = await tableCounts(getStore());
    const report = await importSources(getStore(), [`${http!.url}/missing.zip`]);
    assert.match(report.sourceErrors[0] ?? '', /HTTP 404/);
    assert.deepEqual(await tableCounts(getStore()), before);
  });

  it('imports a zip and a CSV from http URLs', { skip: noZip }, async () => {
    const report = await importSources(getStore(), [`${http!.url}/archive.zip`, `${http!.url}/2024-06-leicestershire-street.csv`]);
    assert.deepEqual(report.sourceErrors, []);
    assert.deepEqual(report.files.map((f) => [f.file.split(/[/:]/).pop(), f.status, f.rows]), [
      ['2024-05-leicestershire-street.csv', 'imported', 20_000],
      ['2024-06-leicestershire-street.csv', 'imported', 1],
    ]);
    const counts = await tableCounts(getStore());
    assert.equal(counts.crimes, 20_001);
    assert.equal(counts.locations, 301, 'the 300 points of the zip, and the CSV row on a street of its own');
  });

  // Last: it adds a row that the counts above do not expect.
  it('a broken zip in a folder is reported and the folder\'s other files still import', { skip: noZip }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'safe-folder-'));
    const body = await readFile(zip);
    await writeFile(join(dir, 'a-broken.zip'), body.subarray(0, body.length >> 1));
    await writeFile(join(dir, '2024-11-foldershire-street.csv'), csv(STREET, [streetRow(id(901), '2024-11', ['-1.100000', '52.100000'], 'Folder Lane', 'Burglary')]));
    const report = await importSources(getStore(), [dir]);
    assert.equal(report.sourceErrors.length, 1);
    assert.match(report.sourceErrors[0]!, /a-broken\.zip/);
    assert.deepEqual(report.files.map((f) => [f.forceId, f.status, f.rows]), [['foldershire', 'imported', 1]]);
    await rm(dir, { recursive: true, force: true });
  });
});
