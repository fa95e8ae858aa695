/**
 * Routes for the outbox for administrators and, in development, /dev/mail; and the
 * lifecycle of the mail sender, which runs while the app does when SMTP_URL is set.
 */
import type { FastifyInstance } from 'fastify';
import { registerDevMailRoutes, devMailEnabled } from './dev-mail.routes.ts';
import { createSmtpTransport, startMailSender, type MailSender } from './mail-sender.ts';
import { registerOutboxRoutes } from './outbox.routes.ts';

export async function mailRoutes(app: FastifyInstance): Promise<void> {
  registerMailSender(app);
  registerOutboxRoutes(app);
  if (devMailEnabled(app.ctx.config)) registerDevMailRoutes(app);
}

/**
 * Starts the sender when the app is ready (after every route and hook is in place, so
 * nothing is sent by an app that then fails to start) and stops it when the app closes,
 * before the store is closed. Commands that build the app without serving it never
 * call ready, so they never send mail. onReady and onClose run for hooks added in an
 * encapsulated plugin such as this one (mail.lifecycle.test.ts checks it).
 */
function registerMailSender(app: FastifyInstance): void {
  const { config, store } = app.ctx;
  const smtpUrl = config.SMTP_URL;
  if (smtpUrl === undefined) {
    app.addHook('onReady', async () => {
      const where = config.NODE_ENV === 'production' ? 'administrators see it at /admin/outbox' : 'see it at /dev/mail';
      const log = config.NODE_ENV === 'production' ? app.log.warn.bind(app.log) : app.log.info.bind(app.log);
      log(`SMTP_URL is not set: email is kept in the outbox and not delivered (${where})`);
    });
    return;
  }
  const transport = createSmtpTransport(smtpUrl);
  let sender: MailSender | undefined;
  app.addHook('onReady', async () => {
    sender = startMailSender(store.db, transport, config, { now: app.ctx.now, log: app.log.child({ module: 'mail' }) });
  });
  app.addHook('onClose', async () => {
    await sender?.stop();
    transport.close();
  });
}
