/**
 * Guides in the store, on both stores: the defaults are seeded once, every edit
 * adds a version with its author and time and overwrites none, a draft leaves the
 * public page alone, and each edit is on the audit chain.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../access/policy.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { loadConfig } from '../config.ts';
import { forceOrganisation, seedPerson } from '../sessions/session.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { DataRelease } from '../api/data-release.ts';
import { MonthIndexCache } from '../crime/month-index.ts';
import { DEFAULT_GUIDE_SLUGS } from './default-guides.ts';
import { findLatestPublished, listLatestGuides, listPublishedGuides, listVersions } from './signs.repository.ts';
import { guideForEditing, saveGuideVersion, seedDefaultGuides } from './signs.service.ts';

describeEachStore('spot the signs: guides and their versions', (getStore) => {
  let ctx: AppContext;
  let editor: Actor;
  let clock = new Date('2026-11-01T10:00:00Z');

  before(async () => {
    const store = getStore();
    const config = loadConfig({}, { LOG_LEVEL: 'silent' });
    ctx = {
      store,
      config,
      release: new DataRelease(store, config.API_MONTHS_SERVED),
      monthIndex: new MonthIndexCache(store, 0),
      now: () => clock,
    };
    const person = await seedPerson(store, {
      displayName: 'Casey Editor',
      roles: [{ role: 'content_editor', organisation: forceOrganisation('demo') }],
    });
    editor = {
      personId: person.id,
      email: person.email,
      displayName: 'Casey Editor',
      roles: [
        { role: 'content_editor', organisationId: 'force-demo', organisationType: 'police_force', forceId: 'demo', neighbourhoodId: null },
      ],
      schemeRoles: [],
    };
  });

  it('seeds the five default guides once, each with a published first version by nobody', async () => {
    const store = getStore();
    assert.equal(await seedDefaultGuides(store, clock), 5);
    assert.equal(await seedDefaultGuides(store, clock), 0, 'a second start adds nothing');
    const guides = await listPublishedGuides(store.db);
    assert.deepEqual(
      guides.map((g) => g.slug),
      [...DEFAULT_GUIDE_SLUGS],
    );
    for (const g of guides) {
      assert.equal(g.version, 1);
      assert.equal(g.authorPersonId, null);
      assert.match(g.body, /^## /m, `${g.slug} has sections`);
      assert.match(g.body, /## What to do/, `${g.slug} says what to do`);
    }
  });

  it('adds a version for each edit, with author and time, and keeps every earlier one', async () => {
    const store = getStore();
    const slug = 'fraud-and-scams';
    const original = (await findLatestPublished(store.db, slug))!;
    clock = new Date('2026-11-02T09:30:00Z');
    const first = await saveGuideVersion(
      ctx,
      editor,
      slug,
      { title: 'Fraud and scams', summary: 'New summary.', body: '## Signs\n\n- one\n', intent: 'publish' },
      '203.0.113.7',
    );
    assert.deepEqual(first, { version: 2, published: true });
    clock = new Date('2026-11-03T09:30:00Z');
    const second = await saveGuideVersion(
      ctx,
      editor,
      slug,
      { title: 'Fraud and scams (draft)', summary: 'Draft summary.', body: '## Draft\n', intent: 'draft' },
      '203.0.113.7',
    );
    assert.deepEqual(second, { version: 3, published: false });

    const versions = await listVersions(store.db, slug);
    assert.deepEqual(
      versions.map((v) => v.version),
      [3, 2, 1],
    );
    assert.equal(versions[2]!.body, original.body, 'the first version is untouched');
    assert.equal(versions[1]!.authorPersonId, editor.personId);
    assert.equal(versions[1]!.authorName, 'Casey Editor');
    assert.equal(versions[1]!.createdAt, '2026-11-02T09:30:00.000Z');

    // The public sees the latest published version; the editor starts from the draft.
    const shown = (await findLatestPublished(store.db, slug))!;
    assert.equal(shown.version, 2);
    assert.equal(shown.summary, 'New summary.');
    assert.equal((await listPublishedGuides(store.db)).find((g) => g.slug === slug)!.version, 2);
    assert.equal((await listLatestGuides(store.db)).find((g) => g.slug === slug)!.version, 3);
    assert.equal((await guideForEditing(store, slug)).latest.title, 'Fraud and scams (draft)');
  });

  it('audits each edit on the chain, naming the guide and version but not its text', async () => {
    const store = getStore();
    const entries = (await listAudit(store, { subjectType: 'guide', subjectId: 'fraud-and-scams' })).filter(
      (e) => e.actor_id === editor.personId,
    );
    assert.equal(entries.length, 2);
    for (const entry of entries) {
      assert.equal(entry.action, 'record.update');
      assert.equal(entry.actor_org, 'force-demo');
      assert.equal(entry.client_address, '203.0.113.7');
      assert.doesNotMatch(entry.details!, /Signs|one|Draft\\n/);
    }
    assert.deepEqual(entries.map((e) => (JSON.parse(e.details!) as { version: number }).version).sort(), [2, 3]);
    assert.equal((await verifyAuditChain(store)).ok, true);
  });

  it('refuses an unknown guide without adding anything', async () => {
    const store = getStore();
    await assert.rejects(
      saveGuideVersion(ctx, editor, 'no-such-guide', { title: 'x', summary: 'x', body: 'x', intent: 'publish' }, '203.0.113.7'),
      { code: 'SC_ERR_UNKNOWN_GUIDE' },
    );
    assert.deepEqual(await listVersions(store.db, 'no-such-guide'), []);
    await assert.rejects(guideForEditing(store, 'no-such-guide'), { code: 'SC_ERR_UNKNOWN_GUIDE' });
  });

  it('numbers versions without gaps or repeats when editors save at once', async () => {
    const store = getStore();
    const slug = 'cyber-crime';
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        saveGuideVersion(ctx, editor, slug, { title: `Cyber crime ${n}`, summary: 'S', body: 'B', intent: 'publish' }, '203.0.113.7'),
      ),
    );
    assert.deepEqual(
      (await listVersions(store.db, slug)).map((v) => v.version),
      [5, 4, 3, 2, 1],
    );
  });
});
