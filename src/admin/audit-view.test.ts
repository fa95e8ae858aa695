import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Person } from '../accounts/people.repository.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { createAuditTriggers } from '../store/migrations/004-audit.ts';
import { PLATFORM_ORGANISATION, seedPerson, signedInAs, type BrowserHeaders } from '../sessions/session.test-helper.ts';
import type { Store } from '../store/store.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { auditAfter, adminApp, council, get, lastSequence, post } from './admin.test-helper.ts';
import { parseAuditFilter } from './audit-filter.ts';

function sequencesIn(body: string): number[] {
  return [...body.matchAll(/data-sequence="(\d+)"/g)].map((m) => Number(m[1]));
}

async function actorOrgs(store: Store, sequences: number[]): Promise<(string | null)[]> {
  if (sequences.length === 0) return [];
  const rows = await store.db.selectFrom('audit_log').select('actor_org').where('sequence', 'in', sequences).execute();
  return [...new Set(rows.map((r) => r.actor_org))];
}

describeEachStore('administration: the audit log', (getStore) => {
  let app: FastifyInstance;
  const A = council('Audited Council');
  const B = council('Private Council');
  let doer: Person, other: Person;
  let asAuditorA: BrowserHeaders, asPlatform: BrowserHeaders;

  before(async () => {
    const store = getStore();
    app = await adminApp(store);
    doer = await seedPerson(store, { email: `doer-${Date.now()}@example.test`, roles: [{ role: 'member', organisation: A }] });
    other = await seedPerson(store, { roles: [{ role: 'member', organisation: B }] });
    const auditorA = await seedPerson(store, { roles: [{ role: 'auditor', organisation: A }] });
    const platform = await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] });
    asAuditorA = await signedInAs(app, auditorA.id);
    asPlatform = await signedInAs(app, platform.id);
    const at = (day: number) => () => new Date(Date.UTC(2020, 0, day, 12));
    for (let day = 1; day <= 3; day++) {
      await appendAudit(store, { action: 'record.update', actorId: doer.id, actorOrg: A.id, subjectType: 'report', subjectId: `r${day}` }, { now: at(day) });
      await appendAudit(store, { action: 'record.create', actorId: other.id, actorOrg: B.id, subjectType: 'report', subjectId: `secret-${day}` }, { now: at(day) });
    }
    await appendAudit(store, { action: 'auth.sign_in', actorId: null, actorOrg: null });
  });
  after(async () => app?.close());

  it('shows an auditor only the entries of their organisation, and records that they looked', async () => {
    const store = getStore();
    const since = await lastSequence(store);
    const res = await get(app, '/admin/audit', asAuditorA);
    assert.equal(res.statusCode, 200);
    const shown = sequencesIn(res.body);
    assert.ok(shown.length >= 3);
    assert.deepEqual(await actorOrgs(store, shown), [A.id]);
    assert.ok(!res.body.includes('secret-'));
    const entries = await auditAfter(store, since);
    assert.deepEqual(entries.map((e) => [e.action, e.subject_type, e.actor_org]), [['record.view', 'audit_log', A.id]]);

    const all = await get(app, '/admin/audit', asPlatform);
    assert.deepEqual((await actorOrgs(store, sequencesIn(all.body))).sort(), [A.id, B.id, null].sort());
    // Filtering for another organisation's person finds nothing for the auditor.
    const theirs = await get(app, `/admin/audit?person=${other.id}`, asAuditorA);
    assert.deepEqual(sequencesIn(theirs.body), []);
    assert.match(theirs.body, /No entries/);
  });

  it('filters by person, action, record and dates', async () => {
    const byEmail = await get(app, `/admin/audit?person=${encodeURIComponent(doer.email.toUpperCase())}&action=record.update`, asPlatform);
    assert.equal(byEmail.statusCode, 200);
    assert.equal(sequencesIn(byEmail.body).length, 3);
    assert.deepEqual(sequencesIn((await get(app, `/admin/audit?person=${doer.id}&action=record.update`, asPlatform)).body), sequencesIn(byEmail.body));
    assert.deepEqual(sequencesIn((await get(app, '/admin/audit?person=nobody%40example.test', asPlatform)).body), []);
    const record = await get(app, '/admin/audit?subjectType=report&subjectId=r2', asPlatform);
    assert.equal(sequencesIn(record.body).length, 1);
    assert.match(record.body, /report r2/);
    const days = await get(app, `/admin/audit?person=${doer.id}&from-day=2&from-month=1&from-year=2020&to-day=2&to-month=1&to-year=2020`, asPlatform);
    assert.equal(sequencesIn(days.body).length, 1, 'one whole day, inclusive at both ends');
    assert.match(days.body, /report r2/);
    const open = await get(app, `/admin/audit?person=${doer.id}&from-day=2&from-month=1&from-year=2020`, asPlatform);
    assert.equal(sequencesIn(open.body).length, 2);
  });

  it('names each bad filter and shows no entries', async () => {
    const cases: [string, string, RegExp][] = [
      ['from-day=31&from-month=2&from-year=2020', 'from-day', /From date must be a real date/],
      ['to-day=1&to-month=&to-year=2020', 'to-day', /To date must include a day, month and year/],
      ['from-day=3&from-month=1&from-year=2020&to-day=1&to-month=1&to-year=2020', 'to-day', /To date must be the same as or after the from date/],
      ['action=account.delete_everything', 'action', /Select an action from the list/],
      ['subjectId=r1', 'subjectType', /Enter the type of record as well as its id/],
      ['subjectType=Report!', 'subjectType', /Type of record must be a lower-case word/],
    ];
    for (const [query, field, message] of cases) {
      const res = await get(app, `/admin/audit?${query}`, asPlatform);
      assert.equal(res.statusCode, 400, query);
      assert.match(res.body, new RegExp(`href="#${field}">`), query);
      assert.match(res.body, message, query);
      assert.deepEqual(sequencesIn(res.body), [], query);
    }
    assert.deepEqual(parseAuditFilter({ 'from-day': '9', 'from-month': '11', 'from-year': '2026' }).since, '2026-11-09T00:00:00.000Z');
    assert.equal(parseAuditFilter({ 'to-day': '31', 'to-month': '12', 'to-year': '2026' }).until, '2027-01-01T00:00:00.000Z');
  });

  it('pages through entries newest first with no gaps or repeats', async () => {
    const store = getStore();
    const busy = await seedPerson(store, { roles: [{ role: 'member', organisation: A }] });
    for (let i = 0; i < 120; i++) await appendAudit(store, { action: 'record.view', actorId: busy.id, actorOrg: A.id, subjectType: 'report', subjectId: `p${i}` });
    const seen: number[][] = [];
    let url: string | null = `/admin/audit?person=${busy.id}`;
    while (url !== null) {
      const res = await get(app, url, asAuditorA);
      assert.equal(res.statusCode, 200);
      seen.push(sequencesIn(res.body));
      const older: string | undefined = /href="([^"]+)" rel="next" id="older"/.exec(res.body)?.[1];
      url = older === undefined ? null : older.replace(/&amp;/g, '&');
      assert.ok(seen.length <= 3, 'three pages at most');
    }
    assert.deepEqual(seen.map((page) => page.length), [50, 50, 20]);
    const flat = seen.flat();
    assert.deepEqual(flat, [...flat].sort((a, b) => b - a), 'newest first');
    assert.equal(new Set(flat).size, 120);
  });

  it('checks the chain: intact, then the tampered entry after a row is altered', async () => {
    const store = getStore();
    const refused = await post(app, '/admin/audit/verify', asPlatform, {}, { csrf: false });
    assert.equal(refused.statusCode, 403);
    const ok = await post(app, '/admin/audit/verify', asAuditorA);
    assert.equal(ok.statusCode, 200);
    assert.match(ok.body, /id="chain-ok"/);
    assert.match(ok.body, /The audit log is intact/);
    assert.match(ok.body, /<code id="chain-head">\d+:[0-9a-f]{64}<\/code>/);

    const victim = (await store.db.selectFrom('audit_log').select('sequence').where('subject_id', '=', 'r2').executeTakeFirstOrThrow()).sequence;
    for (const name of ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_no_truncate']) {
      if (store.kind === 'sqlite') await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)}`.execute(store.db);
      else await sql`DROP TRIGGER IF EXISTS ${sql.raw(name)} ON audit_log`.execute(store.db);
    }
    await store.db.updateTable('audit_log').set({ actor_id: 'someone-else' }).where('sequence', '=', victim).execute();
    await createAuditTriggers(store.db as unknown as Kysely<unknown>, store.kind);

    const broken = await post(app, '/admin/audit/verify', asPlatform);
    assert.equal(broken.statusCode, 200);
    assert.match(broken.body, /The audit log has been tampered with/);
    const problems = /<table class="govuk-table" id="chain-problems">[\s\S]*?<\/table>/.exec(broken.body)?.[0] ?? '';
    assert.match(problems, new RegExp(`<td class="govuk-table__cell">${victim}</td><td class="govuk-table__cell">hash mismatch`));
    assert.ok(!broken.body.includes('id="chain-ok"'));
  });
});
