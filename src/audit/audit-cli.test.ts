import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { openStore } from '../store/store.ts';
import { formatAuditLine } from './audit-format.ts';
import { parseAuditListOptions, parseAuditVerifyOptions } from './audit-list.schema.ts';
import { verifyAuditChain } from './audit-verify.ts';

describe('audit command options and output', () => {
  it('turns list options into a filter', () => {
    const parsed = parseAuditListOptions({ actor: 'p-17', subject: 'person:a:b', since: '2026-11-01', limit: '20', json: false });
    assert.deepEqual(parsed, {
      ok: true,
      value: { filter: { actorId: 'p-17', subjectType: 'person', subjectId: 'a:b', since: '2026-11-01T00:00:00.000Z', limit: 20 }, json: false },
    });
  });

  it('names each bad option', () => {
    const parsed = parseAuditListOptions({ subject: 'x9', until: '2026-13-45', limit: '0' });
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.message, /--subject[\s\S]*--until[\s\S]*--limit/);
    assert.equal(parseAuditVerifyOptions({ expectHead: '3:abc' }).ok, false);
    assert.deepEqual(parseAuditVerifyOptions({ expectHead: `3:${'a'.repeat(64)}` }), { ok: true, value: { expectHead: { sequence: 3, hash: 'a'.repeat(64) } } });
  });

  it('prints user-supplied text quoted, so it cannot forge a line', () => {
    const line = formatAuditLine({
      sequence: 2, occurred_at: '2026-11-23T08:00:00.000Z', actor_id: 'p\n#3 fake', actor_org: null, action: 'record.view',
      subject_type: 'person', subject_id: 'x9', reason: 'why\u001b[31m', client_address: null, details: null, prev_hash: '0', hash: '1',
    });
    assert.equal(line.includes('\n'), false);
    assert.equal(line.includes('\u001b'), false);
  });
});

describe('audit log shared by several processes (SQLite file)', () => {
  it('keeps one chain when two processes append at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const url = `sqlite:${join(dir, 'audit.db')}`;
    try {
      await (await openStore(url)).close();
      const script = `
        const { openStore } = await import(${JSON.stringify(new URL('../store/store.ts', import.meta.url).href)});
        const { appendAudit } = await import(${JSON.stringify(new URL('./audit.repository.ts', import.meta.url).href)});
        const store = await openStore(process.argv[1]);
        for (let i = 0; i < 40; i++) await appendAudit(store, { action: 'record.view', actorId: 'w' + process.pid });
        await store.close();`;
      const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, url]);
      await Promise.all([run(), run()]);
      const store = await openStore(url);
      try {
        assert.deepEqual(await verifyAuditChain(store).then((r) => [r.ok, r.entries]), [true, 80]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
