/**
 * Email templates: every template renders a one-line subject, a text and an HTML body
 * with absolute links; user input is escaped in HTML, left readable in text, and can
 * add no lines; account links cannot point at another site; queueMail checks the address.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { InvalidMailAddressError, isMailAddress, onMailQueued, queueMail } from './mail.service.ts';
import { MAIL_TEMPLATE_NAMES, MailTemplateError, renderMail, type MailTemplateName, type MailTemplates } from './mail.templates.ts';

const config = loadConfig({}, { NODE_ENV: 'test', PUBLIC_URL: 'https://safe.example.org', SITE_NAME: 'Demoshire SAFE' });

const samples: { [K in MailTemplateName]: MailTemplates[K] } = {
  'verify-email': { name: 'Sam', link: '/verify-email?token=VERIFY123' },
  'sign-up-existing-account': { name: 'Sam', signInLink: '/sign-in', recoverLink: 'https://safe.example.org/recover' },
  'recover-account': { name: 'Sam', link: '/recover/RECOVER123' },
  'recover-no-account': {},
  'account-locked': { name: 'Sam', minutes: 15, recoverLink: '/recover' },
  invitation: { organisationName: 'Northtown Neighbourhood Team', roleName: 'Member', inviterName: 'Pat Officer', link: '/invitation/INVITE123' },
  'password-changed': { name: 'Sam' },
  'two-factor-changed': { name: 'Sam' },
  'new-sign-in-code-failures': { name: 'Sam', count: 4 },
  notice: { name: 'Sam', heading: 'Your scheme has a new coordinator', paragraphs: ['First paragraph.', 'Second paragraph.'], link: { text: 'See your scheme', href: '/watch/1' } },
};

const stripTags = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ');

describe('email templates', () => {
  it('has a sample for every template, and every template renders', () => {
    assert.deepEqual(Object.keys(samples).sort(), [...MAIL_TEMPLATE_NAMES].sort());
    for (const template of MAIL_TEMPLATE_NAMES) {
      const mail = renderMail(config, template, samples[template] as never);
      assert.match(mail.subject, /^\S[^\r\n]{5,148}\S$/, template);
      assert.ok(mail.text.endsWith('\n') && !mail.text.includes('\n\n\n'), template);
      assert.ok(mail.text.includes('Demoshire SAFE') && mail.text.includes('https://safe.example.org/'), template);
      assert.ok(!/<[a-z]/i.test(mail.text), `${template}: text body has markup`);
      assert.match(mail.html, /^<!DOCTYPE html>\n<html lang="en">/, template);
      assert.ok(mail.html.includes(`<title>${mail.subject}</title>`), template);
      // Every link in the HTML is absolute.
      for (const [, href] of mail.html.matchAll(/href="([^"]*)"/g)) assert.match(href!, /^https:\/\/safe\.example\.org\//, `${template}: ${href}`);
    }
  });

  it('makes links absolute from PUBLIC_URL, in both bodies', () => {
    const mail = renderMail(config, 'verify-email', samples['verify-email']);
    assert.equal(mail.subject, 'Confirm your email address for Demoshire SAFE');
    assert.ok(mail.text.includes('\nhttps://safe.example.org/verify-email?token=VERIFY123\n'));
    assert.ok(mail.html.includes('href="https://safe.example.org/verify-email?token=VERIFY123"'));
    assert.match(mail.text, /24 hours/);
    const recover = renderMail(config, 'recover-account', samples['recover-account']);
    assert.match(recover.text, /1 hour\b/);
    assert.match(renderMail(config, 'invitation', samples.invitation).text, /7 days/);
    const locked = renderMail(config, 'account-locked', samples['account-locked']);
    assert.match(locked.subject, /locked for 15 minutes/);
    assert.match(renderMail(config, 'account-locked', { ...samples['account-locked'], minutes: 1 }).text, /locked for 1 minute\./);
  });

  it('escapes what people typed in HTML but leaves it readable in text', () => {
    const name = 'Ann & <script>alert(1)</script> "O\'Neil"';
    const mail = renderMail(config, 'password-changed', { name });
    assert.ok(mail.text.includes(`Hello ${name},`));
    assert.ok(!mail.html.includes('<script>'));
    assert.ok(mail.html.includes('Ann &amp; &lt;script&gt;alert(1)&lt;/script&gt;'));
    const invite = renderMail(config, 'invitation', { ...samples.invitation, organisationName: 'Tom & Jerry <b>Watch</b>' });
    assert.equal(invite.subject, 'You have been invited to join Tom & Jerry <b>Watch</b> on Demoshire SAFE');
    assert.ok(invite.html.includes('<title>You have been invited to join Tom &amp; Jerry &lt;b&gt;Watch&lt;/b&gt; on Demoshire SAFE</title>'));
  });

  it('lets no input add a line to the subject or the body', () => {
    const mail = renderMail(config, 'notice', { heading: 'Meeting moved\r\nBcc: victim@example.org', paragraphs: ['One\nTwo\u2028Three'] });
    assert.equal(mail.subject, 'Meeting moved Bcc: victim@example.org');
    assert.ok(mail.text.includes('One Two Three'));
    const named = renderMail(config, 'verify-email', { name: 'Sam\r\n\r\nClick http://evil.example', link: '/v' });
    assert.ok(named.text.includes('Hello Sam Click http://evil.example,'));
  });

  it('refuses account links to other sites and links that are not web links', () => {
    assert.throws(() => renderMail(config, 'recover-account', { name: 'Sam', link: 'https://evil.example/recover' }), MailTemplateError);
    assert.throws(() => renderMail(config, 'recover-account', { name: 'Sam', link: '//evil.example/recover' }), MailTemplateError);
    assert.throws(() => renderMail(config, 'verify-email', { name: 'Sam', link: 'javascript:alert(1)' }), MailTemplateError);
    assert.throws(() => renderMail(config, 'notice', { heading: 'h', paragraphs: [], link: { text: 't', href: 'javascript:alert(1)' } }), MailTemplateError);
    // A notice may link elsewhere on the web.
    const notice = renderMail(config, 'notice', { heading: 'h', paragraphs: [], link: { text: 'Council', href: 'https://council.example/bins' } });
    assert.ok(notice.text.includes('Council:\nhttps://council.example/bins\n'));
  });

  it('refuses data that does not fit the template, and unknown templates', () => {
    assert.throws(() => renderMail(config, 'account-locked', { name: 'Sam', minutes: 0, recoverLink: '/r' }));
    assert.throws(() => renderMail(config, 'verify-email', { name: 'Sam' } as never));
    assert.throws(() => renderMail(config, 'no-such-template' as never, {} as never), /No mail template/);
    const withoutName = renderMail(config, 'notice', { heading: 'Hello all', paragraphs: ['News.'] });
    assert.ok(!withoutName.text.includes('Hello ,') && !/Hello(\s\w+)?,/.test(stripTags(withoutName.html)));
  });

  it('accepts one plain address and nothing that could become several or a header', () => {
    assert.ok(isMailAddress('sam.jones+safe@example.org'));
    for (const bad of ['', 'sam', 'a@b.org, c@d.org', 'a@b.org\r\nBcc: c@d.org', 'Sam <a@b.org>', 'a b@c.org', `${'x'.repeat(250)}@b.org`]) {
      assert.equal(isMailAddress(bad), false, bad);
    }
  });
});

describeEachStore('queueMail', (getStore) => {
  it('renders and queues, announces it, and refuses a bad address without queueing', async () => {
    const { db } = getStore();
    let announced = 0;
    const stop = onMailQueued(() => (announced += 1));
    try {
      const now = new Date('2026-05-01T08:00:00Z');
      const queued = await queueMail(db, config, { to: ' sam@example.org ', template: 'verify-email', data: samples['verify-email'] }, now);
      assert.equal(announced, 1);
      const row = await db.selectFrom('outbox').selectAll().where('id', '=', queued.id).executeTakeFirstOrThrow();
      assert.deepEqual([row.to_address, row.template, row.status, row.created_at], ['sam@example.org', 'verify-email', 'queued', now.toISOString()]);
      assert.equal(row.subject, 'Confirm your email address for Demoshire SAFE');
      assert.match(row.text_body, /verify-email\?token=VERIFY123/);
      await assert.rejects(queueMail(db, config, { to: 'a@b.org, c@d.org', template: 'recover-no-account', data: {} }), InvalidMailAddressError);
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await queueMail(trx, config, { to: 'rollback@example.org', template: 'recover-no-account', data: {} });
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      const all = await db.selectFrom('outbox').select('to_address').execute();
      assert.deepEqual(all, [{ to_address: 'sam@example.org' }]);
    } finally {
      stop();
    }
  });
});
