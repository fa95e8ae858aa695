/**
 * Team members through the staff forms: consent decides what the public sees
 * (the API's people, the page and the photo route); uploads are re-encoded
 * without metadata, anything but a picture is refused, and a multipart form
 * without its CSRF token is refused before its file is read.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import sharp from 'sharp';
import { describeEachStore } from '../store/test-stores.ts';
import { A, B, errorSummary, FORCE, getPage, postForm, postMultipart, staffFixture, staffUrl, type StaffFixture } from './staff.test-helper.ts';

async function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 10, g: 120, b: 200 } } })
    .jpeg()
    .withExif({ IFD0: { Copyright: 'Secret Camera Owner', Artist: 'Someone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '50/1 55/1 0/1' } })
    .toBuffer();
}

const blob = (data: Buffer, type = 'image/jpeg') => new Blob([new Uint8Array(data)], { type });

describeEachStore('staff tools: team members, consent and photos', (getStore) => {
  let f: StaffFixture;
  let photo: Buffer;
  before(async () => {
    [f, photo] = await Promise.all([staffFixture(getStore()), jpegWithExif()]);
  });
  after(async () => f?.app.close());

  const teamUrl = staffUrl(FORCE, A, '/team');
  const people = async () => JSON.parse((await f.app.inject(`/api/${FORCE}/${A}/people`)).body) as Array<{ name: string; rank: string; bio: string | null }>;
  const publicPage = async () => (await f.app.inject({ url: `/neighbourhoods/${FORCE}/${A}`, headers: { accept: 'text/html' } })).body;
  const member = (name: string) => getStore().db.selectFrom('neighbourhood_people').selectAll().where('force_id', '=', FORCE).where('neighbourhood_id', '=', A).where('name', '=', name).executeTakeFirstOrThrow();
  const photoRow = (memberId: string) => getStore().db.selectFrom('team_photos').selectAll().where('member_id', '=', memberId).executeTakeFirst();
  const photoCount = async () => (await getStore().db.selectFrom('team_photos').select('id').execute()).length;
  const send = async (url: string, parts: Array<[string, string | Blob, string?]>) => f.app.inject(await postMultipart(f.officerA, url, parts));
  const fields = (extra: Record<string, string> = {}): Array<[string, string]> =>
    Object.entries({ name: 'PC Sam Patel', rank: 'PC', bio: 'Sam grew up in Bitterne.', email: 'sam.patel@example.org', ...extra });

  it('stores a photo and biography without consent but never publishes them', async () => {
    const res = await send(`${teamUrl}/add`, [['_csrf', f.officerA.csrf], ...fields(), ['photo', blob(photo), 'me.jpg']]);
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.equal(res.headers.location, `${teamUrl}?done=member-added`);
    const row = await member('PC Sam Patel');
    assert.equal(row.entered_bio, '<p>Sam grew up in Bitterne.</p>');
    assert.equal(row.bio, null, 'the public column holds no unconsented biography');
    const stored = await photoRow(row.member_id!);
    assert.ok(stored, 'the photo is stored');
    assert.deepEqual((await people()).at(-1), { name: 'PC Sam Patel', rank: 'PC', bio: null, contact_details: { email: 'sam.patel@example.org' } });
    const page = await publicPage();
    assert.ok(page.includes('>PC Sam Patel</h3>'));
    assert.ok(!page.includes('Sam grew up'), 'no biography on the page');
    assert.ok(!page.includes('/neighbourhood-photos/'), 'no photo on the page');
    assert.equal((await f.app.inject(`/neighbourhood-photos/${stored.id}.jpg`)).statusCode, 404, 'the photo route refuses it');
    const team = (await f.app.inject(getPage(f.officerA, teamUrl))).body;
    assert.match(team, /PC Sam Patel[\s\S]*Not published: no consent[\s\S]*Not published: no consent/);
  });

  it('re-encodes an upload to a fixed-size JPEG with its metadata gone', async () => {
    const original = await sharp(photo).metadata();
    assert.ok(original.exif && photo.includes('Secret Camera Owner'), 'the upload carried EXIF');
    const stored = await photoRow((await member('PC Sam Patel')).member_id!);
    const image = Buffer.from(stored!.image);
    const meta = await sharp(image).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.deepEqual([meta.width, meta.height, stored!.width, stored!.height], [400, 400, 400, 400]);
    assert.equal(meta.exif, undefined, 'no EXIF');
    assert.equal(meta.icc, undefined);
    assert.ok(!image.includes('Secret Camera Owner') && !image.includes('Exif'), 'nothing of the original metadata');
  });

  it('publishes photo and biography once they agree, and withdraws them when they do not', async () => {
    const row = await member('PC Sam Patel');
    const url = `${teamUrl}/${row.member_id}`;
    const form = (await f.app.inject(getPage(f.officerA, url))).body;
    assert.match(form, /enctype="multipart\/form-data"[\s\S]*?<input type="hidden" name="_csrf"/);
    assert.match(form, new RegExp(`src="${url}/photo\\?v=`), 'staff see the unpublished photo');
    const preview = await f.app.inject(getPage(f.officerA, `${url}/photo`));
    assert.equal(preview.statusCode, 200);
    assert.equal(preview.headers['cache-control'], 'no-store');
    assert.equal((await f.app.inject(getPage(f.otherAdmin, `${url}/photo`))).statusCode, 403);

    assert.equal((await send(url, [['_csrf', f.officerA.csrf], ...fields({ photoConsent: 'yes', bioConsent: 'yes' })])).statusCode, 303);
    assert.equal((await people()).at(-1)?.bio, '<p>Sam grew up in Bitterne.</p>');
    const { id } = (await photoRow(row.member_id!))!;
    const page = await publicPage();
    assert.ok(page.includes(`src="/neighbourhood-photos/${id}.jpg" alt="Photo of PC Sam Patel"`), 'the page shows the photo');
    assert.ok(page.includes('Sam grew up in Bitterne.'));
    const served = await f.app.inject(`/neighbourhood-photos/${id}.jpg`);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/jpeg');
    assert.match(String(served.headers['cache-control']), /^public, max-age=\d{5,}/);
    assert.equal(served.headers['x-content-type-options'], 'nosniff');

    assert.equal((await send(url, [['_csrf', f.officerA.csrf], ...fields({ bioConsent: 'yes' })])).statusCode, 303);
    assert.equal((await f.app.inject(`/neighbourhood-photos/${id}.jpg`)).statusCode, 404, 'consent withdrawn: not served');
    assert.ok(!(await publicPage()).includes('/neighbourhood-photos/'));
  });

  it('refuses a file that is not a picture, or one over 5MB, with a message and stores nothing', async () => {
    const before = { photos: await photoCount(), people: (await people()).length };
    const text = await send(`${teamUrl}/add`, [['_csrf', f.officerA.csrf], ...fields({ name: 'PC Text' }), ['photo', blob(Buffer.from('<svg onload="alert(1)"></svg>'), 'image/jpeg'), 'photo.jpg']]);
    assert.equal(text.statusCode, 400);
    assert.deepEqual(errorSummary(text.body), ['photo: The selected file must be a JPG, PNG or WebP photo']);
    assert.match(text.body, /value="PC Text"/, 'the rest of the form is kept');
    const huge = Buffer.concat([photo, Buffer.alloc(5 * 1024 * 1024)]);
    const big = await send(`${teamUrl}/add`, [['_csrf', f.officerA.csrf], ...fields({ name: 'PC Big' }), ['photo', blob(huge), 'big.jpg']]);
    assert.equal(big.statusCode, 400);
    assert.deepEqual(errorSummary(big.body), ['photo: The photo must be smaller than 5MB']);
    const both = await send(`${teamUrl}/add`, [['_csrf', f.officerA.csrf], ...fields({ name: '', email: 'nope' }), ['photo', blob(Buffer.from('not an image')), 'x.jpg']]);
    assert.deepEqual(errorSummary(both.body), [
      'name: Enter the team member’s name',
      'email: Enter an email address in the correct format, like name@example.com',
      'photo: The selected file must be a JPG, PNG or WebP photo',
    ]);
    assert.deepEqual({ photos: await photoCount(), people: (await people()).length }, before);
  });

  it('refuses a multipart upload without a valid CSRF token before reading it', async () => {
    const before = { photos: await photoCount(), people: (await people()).length };
    const missing = await send(`${teamUrl}/add`, [...fields({ name: 'PC Forged' }), ['photo', blob(photo), 'p.jpg']]);
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.headers['x-error-code'], 'SC_ERR_CSRF');
    const late = await send(`${teamUrl}/add`, [...fields({ name: 'PC Forged' }), ['_csrf', f.officerA.csrf], ['photo', blob(photo), 'p.jpg']]);
    assert.equal(late.statusCode, 403, 'the token must come first');
    const wrong = await send(`${teamUrl}/add`, [['_csrf', f.admin.csrf], ...fields({ name: 'PC Forged' }), ['photo', blob(photo), 'p.jpg']]);
    assert.equal(wrong.statusCode, 403);
    const elsewhere = await send(staffUrl(FORCE, B, '/team/add'), [['_csrf', f.officerA.csrf], ...fields({ name: 'PC Forged' })]);
    assert.equal(elsewhere.statusCode, 403, 'a valid token does not get past access control');
    assert.deepEqual({ photos: await photoCount(), people: (await people()).length }, before);
  });

  it('moves members up and down and removes one with their photo', async () => {
    const names = async () => (await people()).map((p) => p.name);
    assert.deepEqual(await names(), ['PC Jane Smith', 'PCSO Ali Khan', 'PC Sam Patel']);
    const sam = await member('PC Sam Patel');
    assert.equal((await f.app.inject(postForm(f.officerA, `${teamUrl}/${sam.member_id}/move`, { direction: 'up' }))).statusCode, 303);
    assert.deepEqual(await names(), ['PC Jane Smith', 'PC Sam Patel', 'PCSO Ali Khan']);
    assert.equal((await f.app.inject(postForm(f.officerA, `${teamUrl}/${sam.member_id}/move`, { direction: 'sideways' }))).statusCode, 400);
    const confirm = await f.app.inject(getPage(f.officerA, `${teamUrl}/${sam.member_id}/remove`));
    assert.match(confirm.body, /Are you sure you want to remove this team member\?[\s\S]*PC Sam Patel \(PC\)/);
    assert.equal((await f.app.inject(postForm(f.officerA, `${teamUrl}/${sam.member_id}/remove`, {}))).statusCode, 303);
    assert.deepEqual(await names(), ['PC Jane Smith', 'PCSO Ali Khan']);
    assert.equal(await photoRow(sam.member_id!), undefined, 'the photo went with them');
    assert.equal((await f.app.inject(getPage(f.officerA, `${teamUrl}/${sam.member_id}`))).statusCode, 404);
  });
});
