/**
 * The sender's lifecycle inside the real app: mailRoutes is an encapsulated plugin, and
 * its onReady and onClose hooks must still run. With SMTP_URL set, nothing is sent
 * before the app is ready, mail goes out once it is (and promptly after each queueMail),
 * and nothing is sent after it closes.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { describeEachStore } from '../store/test-stores.ts';
import { queueMail } from './mail.service.ts';
import { findOutboxMessage } from './outbox.repository.ts';
import { startTestSmtpServer, type TestSmtpServer } from './smtp.test-helper.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForStatus(store: Parameters<typeof findOutboxMessage>[0], id: number, status: string): Promise<string | undefined> {
  for (let i = 0; i < 100; i += 1) {
    const row = await findOutboxMessage(store, id);
    if (row?.status === status) return status;
    await pause(20);
  }
  return (await findOutboxMessage(store, id))?.status;
}

describeEachStore('mail sender lifecycle', (getStore) => {
  let server: TestSmtpServer;
  before(async () => {
    server = await startTestSmtpServer();
  });
  after(async () => {
    await server.close();
  });

  it('starts on ready, delivers promptly, and stops on close', async () => {
    const { db } = getStore();
    const config = loadConfig({}, { LOG_LEVEL: 'silent', NODE_ENV: 'development', SMTP_URL: server.url });
    const app = await buildApp(getStore(), config);
    const data = { name: 'Sam' };
    try {
      const early = await queueMail(db, config, { to: 'early@example.org', template: 'password-changed', data });
      await pause(300);
      assert.equal(server.received.length, 0, 'nothing is sent before the app is ready');

      await app.ready();
      await server.waitFor(1, 3000);
      assert.equal(await waitForStatus(db, early.id, 'sent'), 'sent');

      const prompt = await queueMail(db, config, { to: 'prompt@example.org', template: 'password-changed', data });
      // The poll is every five seconds: only the nudge gets it there this fast.
      await server.waitFor(2, 2000);
      assert.deepEqual(server.received.map((m) => m.envelope.rcptTo[0]?.address), ['early@example.org', 'prompt@example.org']);
      assert.equal(await waitForStatus(db, prompt.id, 'sent'), 'sent');
    } finally {
      await app.close();
    }
    const late = await queueMail(db, config, { to: 'late@example.org', template: 'password-changed', data });
    await pause(400);
    assert.equal(server.received.length, 2, 'nothing is sent after the app closed');
    assert.equal((await findOutboxMessage(db, late.id))?.status, 'queued');
  });
});
