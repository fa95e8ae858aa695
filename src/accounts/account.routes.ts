/**
 * Routes for sign-up, email verification, sign-in with a second factor, recovery,
 * invitations and the account page. Each part is a plugin of its own; every page
 * here is sent with `Cache-Control: no-store`, and those reached from an emailed
 * link also with `Referrer-Policy: strict-origin` (no token in any Referer).
 *
 * How a sign-in proceeds (session stages from src/sessions/session.repository.ts):
 *
 *   password ok ──┬─ has an authentication app ─────▶ 'mfa'   ─ code ok ───────▶ 'full' (new id)
 *                 ├─ holds a role, no app yet ──────▶ 'enrol' ─ app set up ────▶ 'full' (new id)
 *                 └─ resident ──────────────────────────────────────────────────▶ 'full'
 *   email link (verify, invitation) ──▶ the same choice; a password reset link ──▶ no session
 */
import type { FastifyInstance } from 'fastify';
import { accountPageHeaders } from './account-http.ts';
import { accountPageRoutes } from './account-page.routes.ts';
import { invitationRoutes } from './invitation.routes.ts';
import { recoveryRoutes } from './recovery.routes.ts';
import { signInRoutes } from './sign-in.routes.ts';
import { signUpRoutes } from './sign-up.routes.ts';
import { twoFactorRoutes } from './two-factor.routes.ts';

export async function accountRoutes(app: FastifyInstance): Promise<void> {
  accountPageHeaders(app);
  await app.register(signInRoutes);
  await app.register(twoFactorRoutes);
  await app.register(signUpRoutes);
  await app.register(recoveryRoutes);
  await app.register(invitationRoutes);
  await app.register(accountPageRoutes);
}
