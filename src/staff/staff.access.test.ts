/**
 * Who may use the staff tools, and where: a team only its own neighbourhood, a
 * force administrator every neighbourhood of their own force, nobody else. Each
 * refusal is audited, and a form without its CSRF token changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { listAudit } from '../audit/audit.repository.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { A, B, FORCE, getPage, OTHER, OTHER_FORCE, postForm, staffFixture, staffUrl, type StaffFixture } from './staff.test-helper.ts';

const PRIORITY = { issue: 'Parking on the school zigzags', 'issueDate-day': '3', 'issueDate-month': '2', 'issueDate-year': '2026' };

describeEachStore('staff tools: who may edit what', (getStore) => {
  let f: StaffFixture;
  before(async () => {
    f = await staffFixture(getStore());
  });
  after(async () => f?.app.close());

  const priorityCount = async (force: string, id: string) =>
    (await getStore().db.selectFrom('neighbourhood_priorities').select('position').where('force_id', '=', force).where('neighbourhood_id', '=', id).execute()).length;

  it('lets an officer edit their own neighbourhood and nothing else', async () => {
    const overview = await f.app.inject(getPage(f.officerA, staffUrl(FORCE, A)));
    assert.equal(overview.statusCode, 200);
    assert.match(overview.body, /<h1 class="govuk-heading-xl">Bitterne &amp; Harefield<\/h1>\s*<p class="govuk-body">East of the Itchen\.<\/p>/);
    assert.match(overview.body, /Team members\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*2 people/);
    assert.equal((await f.app.inject(getPage(f.officerA, staffUrl(FORCE, A, '/priorities/add')))).statusCode, 200);
    for (const [force, id] of [
      [FORCE, B],
      [OTHER_FORCE, OTHER],
    ] as const) {
      for (const rest of ['', '/team', '/contacts', '/priorities', '/events/add', '/stations']) {
        assert.equal((await f.app.inject(getPage(f.officerA, staffUrl(force, id, rest)))).statusCode, 403, `${force}/${id}${rest}`);
      }
      const before = await priorityCount(force, id);
      const res = await f.app.inject(postForm(f.officerA, staffUrl(force, id, '/priorities/add'), PRIORITY));
      assert.equal(res.statusCode, 403);
      assert.equal(await priorityCount(force, id), before, 'nothing was added');
    }
    assert.equal((await f.app.inject(getPage(f.officerA, `/staff/forces/${FORCE}/neighbourhoods`))).statusCode, 403, 'an officer does not manage the force');
  });

  it('lets a force administrator edit every neighbourhood of their force and none of another', async () => {
    for (const id of [A, B, 'EMPTY']) {
      assert.equal((await f.app.inject(getPage(f.admin, staffUrl(FORCE, id)))).statusCode, 200, id);
    }
    const res = await f.app.inject(postForm(f.admin, staffUrl(FORCE, B, '/priorities/add'), PRIORITY));
    assert.equal(res.statusCode, 303);
    assert.equal((await f.app.inject(getPage(f.admin, staffUrl(OTHER_FORCE, OTHER)))).statusCode, 403);
    assert.equal((await f.app.inject(getPage(f.admin, `/staff/forces/${OTHER_FORCE}/neighbourhoods`))).statusCode, 403);
    assert.equal((await f.app.inject(getPage(f.otherAdmin, staffUrl(FORCE, A)))).statusCode, 403);
  });

  it('lists on /staff exactly the neighbourhoods each person may edit', async () => {
    const links = (html: string) => [...html.matchAll(/href="\/staff\/neighbourhoods\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!)).sort();
    assert.deepEqual(links((await f.app.inject(getPage(f.officerA, '/staff'))).body), [`${FORCE}/${A}`]);
    const adminPage = (await f.app.inject(getPage(f.admin, '/staff'))).body;
    assert.deepEqual(links(adminPage), [`${FORCE}/EMPTY`, `${FORCE}/${A}`, `${FORCE}/${B}`].sort());
    assert.match(adminPage, new RegExp(`href="/staff/forces/${FORCE}/neighbourhoods"`));
    assert.deepEqual(links((await f.app.inject(getPage(f.otherAdmin, '/staff'))).body), [`${OTHER_FORCE}/${OTHER}`]);
  });

  it('refuses a plain member, and sends an anonymous visitor to sign in', async () => {
    assert.equal((await f.app.inject(getPage(f.member, '/staff'))).statusCode, 403);
    assert.equal((await f.app.inject(getPage(f.member, staffUrl(FORCE, A)))).statusCode, 403);
    const anonymous = await f.app.inject(getPage(null, staffUrl(FORCE, A, '/events')));
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, `/sign-in?next=${encodeURIComponent(staffUrl(FORCE, A, '/events'))}`);
    assert.equal((await f.app.inject(getPage(null, '/staff'))).statusCode, 303);
  });

  it('audits a refused attempt with what was wanted and where', async () => {
    await f.app.inject(getPage(f.officerA, staffUrl(FORCE, B, '/team')));
    // Refused earlier in this file too, so this repeat is counted, not appended: the entry is the first refusal's.
    const entry = (await listAudit(getStore(), { actorId: f.officerAId })).find((e) => e.action === 'access.denied' && e.details!.includes('/team"') && e.details!.includes(`"neighbourhoodId":"${B}"`));
    assert.equal(entry?.action, 'access.denied');
    assert.equal(entry?.actor_id, f.officerAId);
    const details = JSON.parse(entry!.details!) as { wanted: string; target: unknown };
    assert.equal(details.wanted, 'neighbourhood.edit');
    assert.deepEqual(details.target, { forceId: FORCE, neighbourhoodId: B });
  });

  it('refuses a form without its CSRF token, or with another session’s, and changes nothing', async () => {
    const before = await priorityCount(FORCE, A);
    const missing = await f.app.inject(postForm(f.officerA, staffUrl(FORCE, A, '/priorities/add'), PRIORITY, false));
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.headers['x-error-code'], 'SC_ERR_CSRF');
    const stolen = await f.app.inject(postForm(f.officerA, staffUrl(FORCE, A, '/priorities/add'), { ...PRIORITY, _csrf: f.admin.csrf }));
    assert.equal(stolen.statusCode, 403);
    assert.equal(await priorityCount(FORCE, A), before);
    const ok = await f.app.inject(postForm(f.officerA, staffUrl(FORCE, A, '/priorities/add'), PRIORITY));
    assert.equal(ok.statusCode, 303, 'the same form with the token is accepted');
    assert.equal(await priorityCount(FORCE, A), before + 1);
  });

  it('audits each change with the neighbourhood and the part changed, and marks it as edited here', async () => {
    const res = await f.app.inject(postForm(f.officerA, staffUrl(FORCE, A, '/contacts'), { email: 'team@example.org', web: 'https://www.example.org/team' }));
    assert.equal(res.statusCode, 303);
    const [entry] = await listAudit(getStore(), { limit: 1 });
    assert.equal(entry?.action, 'record.update');
    assert.equal(entry?.subject_type, 'neighbourhood');
    assert.equal(entry?.subject_id, `${FORCE}/${A}`);
    assert.equal(entry?.actor_org, `team-${FORCE}-${A}`.toLowerCase());
    const details = JSON.parse(entry!.details!) as { part: string; changed: string[] };
    assert.equal(details.part, 'contact_details');
    assert.ok(!entry!.details!.includes('team@example.org'), 'no contact details in the audit log');
    const mark = await getStore().db.selectFrom('neighbourhoods').select('edited_locally_at').where('force_id', '=', FORCE).where('id', '=', A).executeTakeFirstOrThrow();
    assert.ok(mark.edited_locally_at, 'marked as edited here');
    const untouched = await getStore().db.selectFrom('neighbourhoods').select('edited_locally_at').where('force_id', '=', OTHER_FORCE).where('id', '=', OTHER).executeTakeFirstOrThrow();
    assert.equal(untouched.edited_locally_at, null);
  });
});
