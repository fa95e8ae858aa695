/**
 * Spot the signs: seeding the default guides, reading what the public sees, and a
 * content editor's new version with its audit entry in one transaction.
 */
import type { AppContext } from '../app-context.ts';
import type { Actor } from '../access/policy.ts';
import { isAllowed } from '../access/policy.ts';
import { appendAuditWithin } from '../audit/audit.repository.ts';
import { AppError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import { loadDefaultGuides } from './default-guides.ts';
import type { GuideForm } from './signs.schema.ts';
import { countGuides, findLatest, lockGuide, insertGuide, insertVersion, listVersions, type GuideVersion } from './signs.repository.ts';

/**
 * Adds the default guides when the store has none, each with a first published
 * version by nobody (the platform's text). Safe to run on every start and from
 * several servers at once: a guide another server added first is left alone.
 * @returns how many guides it added.
 */
export async function seedDefaultGuides(store: Store, now: Date): Promise<number> {
  if ((await countGuides(store.db)) > 0) return 0;
  const defaults = loadDefaultGuides();
  let added = 0;
  for (const [position, guide] of defaults.entries()) {
    await store.db.transaction().execute(async (trx) => {
      if (!(await insertGuide(trx, guide.slug, position + 1, now))) return;
      await insertVersion(
        trx,
        { slug: guide.slug, title: guide.title, summary: guide.summary, body: guide.body, published: true, authorPersonId: null },
        now,
      );
      added += 1;
    });
  }
  return added;
}

export interface SavedVersion {
  version: number;
  published: boolean;
}

/**
 * A content editor's edit: a new version (published, or a draft that leaves the
 * public page as it was) and an audit entry naming the guide and the version, never
 * its text. Unknown guide: SC_ERR_UNKNOWN_GUIDE.
 */
export async function saveGuideVersion(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  form: GuideForm,
  clientAddress: string,
): Promise<SavedVersion> {
  const now = ctx.now();
  const published = form.intent === 'publish';
  return ctx.store.db.transaction().execute(async (trx) => {
    if (!(await lockGuide(trx, ctx.store.kind, slug))) throw new AppError('SC_ERR_UNKNOWN_GUIDE');
    const version = await insertVersion(
      trx,
      { slug, title: form.title, summary: form.summary, body: form.body, published, authorPersonId: actor.personId },
      now,
    );
    await appendAuditWithin(
      trx,
      ctx.store.kind,
      {
        action: 'record.update',
        actorId: actor.personId,
        actorOrg: actor.roles.find((held) => isAllowed({ ...actor, roles: [held] }, 'guide.edit', {}))?.organisationId ?? null,
        subjectType: 'guide',
        subjectId: slug,
        clientAddress,
        details: { part: 'guide', version, published, title: form.title },
      },
      { now: () => now },
    );
    return { version, published };
  });
}

export interface GuideForEditing {
  latest: GuideVersion;
  versions: GuideVersion[];
}

/** A guide's latest version (what the form starts from) and its history. Unknown guide: SC_ERR_UNKNOWN_GUIDE. */
export async function guideForEditing(store: Store, slug: string): Promise<GuideForEditing> {
  const [latest, versions] = await Promise.all([findLatest(store.db, slug), listVersions(store.db, slug)]);
  if (!latest) throw new AppError('SC_ERR_UNKNOWN_GUIDE');
  return { latest, versions };
}
