/**
 * Spot the signs over HTTP: the list, each guide with its signs, what to do, the
 * routing panel and Exit this page; unknown guides; the links to it; and the
 * content editor's journey (edit, preview, draft, publish, errors) with who else is
 * refused and how the refusal is audited.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { loadConfig } from '../config.ts';
import { seedFixtures } from '../neighbourhoods/neighbourhoods.fixtures.ts';
import {
  forceOrganisation,
  PLATFORM_ORGANISATION,
  seedPerson,
  signedInAs,
  teamOrganisation,
  type BrowserHeaders,
} from '../sessions/session.test-helper.ts';
import { getPage, postForm } from '../staff/staff.test-helper.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { DEFAULT_GUIDE_SLUGS } from './default-guides.ts';
import { EXIT_PAGE_URL } from './signs.routes.ts';
import { listVersions } from './signs.repository.ts';
import { GUIDE_LIMITS } from './signs.schema.ts';
import { EMERGENCY, GUIDE_ROUTES, SERVICES } from './who-to-tell.ts';

const TOPIC_ROUTE_NAMES: Record<string, RegExp> = {
  'modern-slavery': /Modern Slavery and Exploitation Helpline[\s\S]*tel:08000121700/,
  'child-exploitation': /Children’s services[\s\S]*CEOP[\s\S]*Childline/,
  'county-lines': /Children’s services[\s\S]*British Transport Police/,
  'fraud-and-scams': /Report Fraud[\s\S]*tel:03001232040/,
  'cyber-crime': /Report Fraud[\s\S]*CEOP/,
};

describeEachStore('spot the signs pages', (getStore) => {
  let app: FastifyInstance;
  let editor: BrowserHeaders;
  let editorId: string;
  let forceAdmin: BrowserHeaders;
  let officer: BrowserHeaders;
  let officerId: string;
  let resident: BrowserHeaders;
  let residentId: string;
  let platformAdmin: BrowserHeaders;

  before(async () => {
    const store = getStore();
    await seedFixtures(store.db);
    app = await buildApp(store, loadConfig({}, { LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_SECOND: '0' }));
    await app.ready();
    const e = await seedPerson(store, {
      displayName: 'Casey Editor',
      roles: [{ role: 'content_editor', organisation: forceOrganisation('hampshire') }],
    });
    editorId = e.id;
    editor = await signedInAs(app, e.id);
    forceAdmin = await signedInAs(
      app,
      (await seedPerson(store, { roles: [{ role: 'force_admin', organisation: forceOrganisation('hampshire') }] })).id,
    );
    const o = await seedPerson(store, { roles: [{ role: 'neighbourhood_officer', organisation: teamOrganisation('hampshire', 'SO1') }] });
    officerId = o.id;
    officer = await signedInAs(app, o.id);
    const r = await seedPerson(store);
    residentId = r.id;
    resident = await signedInAs(app, r.id);
    platformAdmin = await signedInAs(
      app,
      (await seedPerson(store, { roles: [{ role: 'platform_admin', organisation: PLATFORM_ORGANISATION }] })).id,
    );
  });
  after(async () => app?.close());

  it('lists the five guides on /signs, with Exit this page', async () => {
    const res = await app.inject(getPage(null, '/signs'));
    assert.equal(res.statusCode, 200);
    const links = [...res.body.matchAll(/<a class="govuk-link" href="\/signs\/([a-z-]+)">/g)].map((m) => m[1]);
    assert.deepEqual(links, [...DEFAULT_GUIDE_SLUGS]);
    assert.match(res.body, /<h1 class="govuk-heading-xl">Spot the signs<\/h1>/);
    assert.match(res.body, /class="govuk-exit-this-page"/);
    assert.ok(res.body.includes(`href="${EXIT_PAGE_URL}"`));
  });

  it('shows each guide with its signs, what to do, the routing panel and Exit this page', async () => {
    for (const slug of DEFAULT_GUIDE_SLUGS) {
      const res = await app.inject(getPage(null, `/signs/${slug}`));
      assert.equal(res.statusCode, 200, slug);
      const body = res.body;
      assert.match(body, /<h1 class="govuk-heading-xl" id="guide-title">/, slug);
      assert.match(
        body,
        /<h2 class="govuk-heading-m">Signs[^<]*<\/h2>|<h3 class="govuk-heading-s">Signs to look out for<\/h3>/,
        `${slug}: signs`,
      );
      assert.match(body, /<ul class="govuk-list govuk-list--bullet">\s*<li>/, `${slug}: a bulleted list`);
      assert.match(body, /<h[23] class="govuk-heading-[ms]">What to do<\/h[23]>/, `${slug}: what to do`);
      // The panel: 999 with text relay and BSL, the topic's own routes, Crimestoppers, then 101 and the team.
      const panel = body.slice(body.indexOf('id="who-to-tell"'));
      assert.match(panel, /Call 999 and ask for the police\./, `${slug}: 999`);
      assert.match(panel, new RegExp(`call ${EMERGENCY.textRelay} from a textphone`), `${slug}: text relay`);
      assert.match(panel, /999 BSL/, `${slug}: BSL`);
      assert.ok(panel.includes(`href="${EMERGENCY.bslUrl}"`), `${slug}: BSL link`);
      for (const key of GUIDE_ROUTES[slug]!) assert.ok(panel.includes(`id="route-${key}"`), `${slug}: ${key}`);
      assert.match(panel, TOPIC_ROUTE_NAMES[slug]!, `${slug}: topic route`);
      assert.match(panel, /Crimestoppers[\s\S]*tel:0800555111/, `${slug}: Crimestoppers`);
      assert.match(panel, /tel:101[\s\S]*id="neighbourhood-team-link" href="\/"/, `${slug}: 101 and the neighbourhood team`);
      assert.ok(panel.indexOf('route-emergency') < panel.indexOf('route-crimestoppers'), `${slug}: 999 comes first`);
      assert.match(body, /class="govuk-exit-this-page"[\s\S]*Exit this page/, `${slug}: exit`);
      assert.ok(body.includes(`href="${EXIT_PAGE_URL}"`), `${slug}: exit goes somewhere neutral`);
      assert.doesNotMatch(body, /signs\.[a-z]+\.[a-zA-Z.]+/, `${slug}: no catalogue key printed`);
    }
  });

  it('answers an unknown or malformed guide with the not-found page', async () => {
    for (const url of ['/signs/no-such-guide', '/signs/Modern-Slavery', '/signs/%3Cscript%3E']) {
      const res = await app.inject(getPage(null, url));
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, /Page not found/, url);
    }
  });

  it('links to /signs from the header and from every neighbourhood page', async () => {
    const home = await app.inject(getPage(null, '/'));
    assert.match(home.body, /govuk-service-navigation__link" href="\/signs"/);
    const neighbourhood = await app.inject(getPage(null, '/neighbourhoods/hampshire/SO1'));
    assert.equal(neighbourhood.statusCode, 200);
    assert.match(neighbourhood.body, /id="signs-link" href="\/signs"/);
  });

  it('lets a content editor preview, save a draft and publish; each save is a new version', async () => {
    const slug = 'county-lines';
    const list = await app.inject(getPage(editor, '/staff/signs'));
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /href="\/staff\/signs\/county-lines"/);
    const home = await app.inject(getPage(editor, '/'));
    assert.match(home.body, /href="\/staff\/signs"/, 'the header links editors to their pages');

    const form = await app.inject(getPage(editor, `/staff/signs/${slug}`));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="_csrf"/);
    assert.match(form.body, /<textarea class="govuk-textarea" id="body" name="body"[^>]*>County lines is the name/);
    assert.match(form.body, /id="versions"[\s\S]*Default text/);

    const fields = {
      title: 'County lines and cuckooing',
      summary: 'Updated summary.',
      body: '## Signs\n\n- new sign <script>alert(1)</script>\n\n## What to do\n\nTell us.',
    };
    const preview = await app.inject(postForm(editor, `/staff/signs/${slug}`, { ...fields, intent: 'preview' }));
    assert.equal(preview.statusCode, 200);
    assert.match(preview.body, /id="preview"[\s\S]*<li>new sign<\/li>/);
    assert.doesNotMatch(preview.body, /<script>alert/);
    assert.equal((await listVersions(getStore().db, slug)).length, 1, 'a preview saves nothing');

    const draft = await app.inject(postForm(editor, `/staff/signs/${slug}`, { ...fields, intent: 'draft' }));
    assert.equal(draft.statusCode, 303);
    assert.equal(draft.headers.location, `/staff/signs/${slug}?done=draft`);
    assert.doesNotMatch((await app.inject(getPage(null, `/signs/${slug}`))).body, /Updated summary/, 'a draft is not public');

    const published = await app.inject(postForm(editor, `/staff/signs/${slug}`, { ...fields, intent: 'publish' }));
    assert.equal(published.statusCode, 303);
    const after = await app.inject(getPage(editor, `/staff/signs/${slug}?done=published`));
    assert.match(after.body, /Guide published/);
    assert.match(after.body, /id="versions"[\s\S]*Casey Editor/);
    const page = await app.inject(getPage(null, `/signs/${slug}`));
    assert.match(page.body, /Updated summary/);
    assert.match(page.body, /<li>new sign<\/li>/);
    assert.doesNotMatch(page.body, /alert\(1\)/);
    assert.match(page.body, /id="who-to-tell"/, 'the panel stays whatever the Markdown');

    const versions = await listVersions(getStore().db, slug);
    assert.deepEqual(
      versions.map((v) => [v.version, v.published, v.authorPersonId]),
      [
        [3, true, editorId],
        [2, false, editorId],
        [1, true, null],
      ],
    );
    const audited = (await listAudit(getStore(), { subjectType: 'guide', subjectId: slug })).filter((e) => e.action === 'record.update');
    assert.equal(audited.length, 2);
  });

  it('shows GOV.UK errors for a missing title and text, and text over the limit, and saves nothing', async () => {
    const slug = 'modern-slavery';
    const before = (await listVersions(getStore().db, slug)).length;
    const empty = await app.inject(postForm(editor, `/staff/signs/${slug}`, { title: ' ', summary: 'S', body: '', intent: 'publish' }));
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<title>Error: /);
    assert.match(empty.body, /govuk-error-summary[\s\S]*href="#title">Enter a title<[\s\S]*href="#body">Enter the guide text</);
    assert.match(empty.body, /id="title-error"/);
    const long = await app.inject(
      postForm(editor, `/staff/signs/${slug}`, { title: 'T', summary: 'S', body: 'x'.repeat(GUIDE_LIMITS.body + 1), intent: 'publish' }),
    );
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /The guide text must be 20,000 characters or fewer/);
    const twoLines = await app.inject(
      postForm(editor, `/staff/signs/${slug}`, { title: 'One\nTwo', summary: 'S', body: 'B', intent: 'publish' }),
    );
    assert.match(twoLines.body, /Title must be on one line/);
    const noIntent = await app.inject(postForm(editor, `/staff/signs/${slug}`, { title: 'T', summary: 'S', body: 'B' }));
    assert.equal(noIntent.statusCode, 400);
    assert.equal((await listVersions(getStore().db, slug)).length, before);
    assert.equal(
      (await app.inject(postForm(editor, '/staff/signs/no-such-guide', { title: 'T', summary: 'S', body: 'B', intent: 'publish' })))
        .statusCode,
      404,
    );
  });

  it('lets a force administrator edit guides too', async () => {
    assert.equal((await app.inject(getPage(forceAdmin, '/staff/signs/cyber-crime'))).statusCode, 200);
  });

  it('refuses residents and other staff (403, audited) and sends anonymous visitors to sign in', async () => {
    const slug = 'fraud-and-scams';
    const before = (await listVersions(getStore().db, slug)).length;
    for (const [who, id] of [
      [resident, residentId],
      [officer, officerId],
    ] as const) {
      assert.equal((await app.inject(getPage(who, '/staff/signs'))).statusCode, 403);
      assert.equal((await app.inject(getPage(who, `/staff/signs/${slug}`))).statusCode, 403);
      const post = await app.inject(postForm(who, `/staff/signs/${slug}`, { title: 'Hacked', summary: 'S', body: 'B', intent: 'publish' }));
      assert.equal(post.statusCode, 403);
      const denied = (await listAudit(getStore(), { actorId: id })).filter((e) => e.action === 'access.denied');
      assert.ok(
        denied.some((e) => (JSON.parse(e.details!) as { wanted: string }).wanted === 'guide.edit'),
        'the refusal is audited',
      );
    }
    assert.equal(
      (await app.inject(getPage(platformAdmin, '/staff/signs'))).statusCode,
      403,
      'platform administrators run the platform, not its content',
    );
    const anonymous = await app.inject(getPage(null, '/staff/signs'));
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, `/sign-in?next=${encodeURIComponent('/staff/signs')}`);
    const noCsrf = await app.inject(
      postForm(editor, `/staff/signs/${slug}`, { title: 'No token', summary: 'S', body: 'B', intent: 'publish' }, false),
    );
    assert.equal(noCsrf.statusCode, 403);
    assert.equal((await listVersions(getStore().db, slug)).length, before, 'nothing was saved');
    const home = await app.inject(getPage(resident, '/'));
    assert.doesNotMatch(home.body, /href="\/staff\/signs"/);
  });

  it('keeps every service the panel names in one data module with a number or an address', () => {
    for (const service of Object.values(SERVICES)) assert.ok(service.phones.length > 0 || service.url, service.key);
    assert.equal(SERVICES.crimestoppers.phones[0]!.number, '0800 555 111');
    assert.equal(SERVICES.modern_slavery_helpline.phones[0]!.number, '08000 121 700');
    assert.equal(SERVICES.report_fraud.phones[0]!.number, '0300 123 2040');
    assert.equal(EMERGENCY.textRelay, '18000');
    for (const url of Object.values(SERVICES)
      .flatMap((s) => (s.url ? [s.url] : []))
      .concat(EMERGENCY.bslUrl))
      assert.match(url, /^https:\/\//);
  });
});
