/**
 * Delivery against a real SMTP server started here (smtp-server), reading back what it
 * received with mailparser: the message as sent, retries with backoff when the server
 * refuses, giving up after MAX_ATTEMPTS, and the background sender's nudge and stop.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { loadConfig } from '../config.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { createSmtpTransport, deliverDueMail, startMailSender, type MailLog } from './mail-sender.ts';
import { queueMail } from './mail.service.ts';
import { BACKOFF_MINUTES, findOutboxMessage, MAX_ATTEMPTS } from './outbox.repository.ts';
import { startTestSmtpServer, type TestSmtpServer } from './smtp.test-helper.ts';

const config = loadConfig({}, { NODE_ENV: 'test', SITE_NAME: 'Demoshire SAFE', PUBLIC_URL: 'https://safe.example.org', MAIL_FROM: 'Demoshire SAFE <no-reply@safe.example.org>' });
const t0 = new Date('2026-05-01T08:00:00Z');

/** A logger that keeps what it was given, to show that no body reaches the logs. */
function recordingLog(): MailLog & { lines: string[] } {
  const lines: string[] = [];
  const keep = (details: object, message: string) => lines.push(`${message} ${JSON.stringify(details)}`);
  return { lines, info: keep, warn: keep, error: keep };
}

describeEachStore('mail delivery over SMTP', (getStore) => {
  let server: TestSmtpServer;
  let refusing: TestSmtpServer;
  before(async () => {
    server = await startTestSmtpServer();
    refusing = await startTestSmtpServer({ rejectRecipients: [550, 'Mailbox unavailable'] });
  });
  after(async () => {
    await server.close();
    await refusing.close();
  });
  beforeEach(async () => {
    await getStore().db.deleteFrom('outbox').execute();
    server.received.length = 0;
  });

  it('sends a queued message as rendered, from MAIL_FROM, and marks it sent', async () => {
    const { db } = getStore();
    const queued = await queueMail(db, config, { to: 'sam@example.org', template: 'recover-account', data: { name: 'Sam & Co', link: '/recover/TOKEN123' } }, t0);
    const transport = createSmtpTransport(server.url);
    const log = recordingLog();
    const result = await deliverDueMail(db, transport, config, t0, { log });
    transport.close();
    assert.deepEqual(result, { claimed: 1, sent: 1, retrying: 0, dead: 0 });

    assert.equal(server.received.length, 1);
    const [{ envelope, parsed }] = server.received as [(typeof server.received)[0]];
    assert.deepEqual(envelope.rcptTo.map((r) => r.address), ['sam@example.org']);
    assert.equal(envelope.mailFrom && envelope.mailFrom.address, 'no-reply@safe.example.org');
    assert.equal(parsed.subject, 'Reset your Demoshire SAFE password');
    assert.deepEqual(parsed.from?.value.map((a) => [a.name, a.address]), [['Demoshire SAFE', 'no-reply@safe.example.org']]);
    assert.deepEqual(Array.isArray(parsed.to) ? [] : parsed.to?.value.map((a) => a.address), ['sam@example.org']);
    assert.equal(parsed.messageId, `<outbox-${queued.id}@safe.example.org>`);
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');
    assert.ok(parsed.text?.includes('Hello Sam & Co,'));
    assert.ok(parsed.text?.includes('https://safe.example.org/recover/TOKEN123'));
    assert.equal(typeof parsed.html, 'string');
    assert.ok((parsed.html as string).includes('href="https://safe.example.org/recover/TOKEN123"'));
    assert.ok((parsed.html as string).includes('Hello Sam &amp; Co,'));

    const row = await findOutboxMessage(db, queued.id);
    assert.deepEqual([row?.status, row?.attempts, row?.sent_at, row?.claimed_until], ['sent', 1, t0.toISOString(), null]);
    assert.equal((await deliverDueMail(db, createSmtpTransport(server.url), config, new Date(t0.getTime() + 3600_000))).claimed, 0);
    // Ids and statuses only: never the subject, the body or its link.
    assert.ok(log.lines.some((line) => line.includes(`"outboxId":${queued.id}`) && line.includes('"status":"sent"')));
    assert.ok(!log.lines.some((line) => /TOKEN123|Reset your|Sam/.test(line)), log.lines.join('\n'));
  });

  it('retries a refused message after each backoff and gives up after the last attempt', async () => {
    const { db } = getStore();
    const queued = await queueMail(db, config, { to: 'nobody@example.org', template: 'recover-no-account', data: {} }, t0);
    const transport = createSmtpTransport(refusing.url);
    const log = recordingLog();
    const tried = refusing.recipientsTried.length;
    let now = t0;
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const result = await deliverDueMail(db, transport, config, now, { log });
        const last = attempt === MAX_ATTEMPTS;
        assert.deepEqual(result, { claimed: 1, sent: 0, retrying: last ? 0 : 1, dead: last ? 1 : 0 }, `attempt ${attempt}`);
        const row = await findOutboxMessage(db, queued.id);
        assert.equal(row?.attempts, attempt);
        assert.match(row?.last_error ?? '', /550.*Mailbox unavailable/);
        if (last) {
          assert.equal(row?.status, 'dead');
          break;
        }
        const wait = BACKOFF_MINUTES[attempt - 1]! * 60_000;
        assert.equal(row?.status, 'queued');
        assert.equal(row?.next_attempt_at, new Date(now.getTime() + wait).toISOString());
        // Nothing is tried before the wait is over.
        assert.equal((await deliverDueMail(db, transport, config, new Date(now.getTime() + wait - 1000))).claimed, 0);
        now = new Date(now.getTime() + wait);
      }
    } finally {
      transport.close();
    }
    assert.equal(refusing.recipientsTried.length - tried, MAX_ATTEMPTS);
    assert.equal(refusing.received.length, 0);
    assert.equal((await deliverDueMail(db, createSmtpTransport(refusing.url), config, new Date(now.getTime() + 86_400_000))).claimed, 0);
    assert.ok(log.lines.some((line) => line.includes('"status":"dead"') && line.includes('"responseCode":550')));
  });

  it('schedules a retry when the mail server cannot be reached', async () => {
    const { db } = getStore();
    const queued = await queueMail(db, config, { to: 'sam@example.org', template: 'password-changed', data: { name: 'Sam' } }, t0);
    const gone = await startTestSmtpServer();
    await gone.close();
    const result = await deliverDueMail(db, createSmtpTransport(gone.url), config, t0);
    assert.deepEqual(result, { claimed: 1, sent: 0, retrying: 1, dead: 0 });
    const row = await findOutboxMessage(db, queued.id);
    assert.equal(row?.status, 'queued');
    assert.equal(row?.next_attempt_at, new Date(t0.getTime() + 60_000).toISOString());
    assert.match(row?.last_error ?? '', /ECONNREFUSED|connect/i);
  });

  it('delivers soon after a message is queued, and sends nothing once stopped', async () => {
    const { db } = getStore();
    const transport = createSmtpTransport(server.url);
    // An hour between polls: only the nudge from queueMail can deliver within the test.
    const sender = startMailSender(db, transport, config, { intervalMs: 3_600_000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const first = await queueMail(db, config, { to: 'first@example.org', template: 'two-factor-changed', data: { name: 'Sam' } });
      await server.waitFor(1, 3000);
      assert.equal(server.received[0]?.parsed.subject, 'Your Demoshire SAFE two-factor authentication has changed');
      // The row is marked just after the server's reply; give it a moment.
      for (let i = 0; i < 50 && (await findOutboxMessage(db, first.id))?.status !== 'sent'; i += 1) await new Promise((r) => setTimeout(r, 20));
      assert.equal((await findOutboxMessage(db, first.id))?.status, 'sent');
    } finally {
      await sender.stop();
    }
    const second = await queueMail(db, config, { to: 'second@example.org', template: 'two-factor-changed', data: { name: 'Sam' } });
    await new Promise((resolve) => setTimeout(resolve, 400));
    transport.close();
    assert.equal(server.received.length, 1);
    assert.equal((await findOutboxMessage(db, second.id))?.status, 'queued');
  });

  it('polls for mail queued elsewhere (another server, or a transaction that committed late)', async () => {
    const { db } = getStore();
    const transport = createSmtpTransport(server.url);
    const sender = startMailSender(db, transport, config, { intervalMs: 100 });
    try {
      // Straight into the table: no nudge in this process.
      await db
        .insertInto('outbox')
        .values({ to_address: 'polled@example.org', subject: 'Polled', text_body: 'text', html_body: '<p>html</p>', template: 'notice', status: 'queued', next_attempt_at: new Date().toISOString(), created_at: new Date().toISOString() })
        .execute();
      await server.waitFor(1, 3000);
      assert.equal(server.received[0]?.parsed.subject, 'Polled');
    } finally {
      await sender.stop();
      transport.close();
    }
  });
});
