/**
 * Whether a session passed a second factor. A session that did not (a resident's)
 * must not carry staff roles granted to the person later: it is sent back to give
 * one (src/sessions/session.plugin.ts).
 */
import type { Kysely, Migration } from 'kysely';

export function sessionSecondFactorMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('sessions').addColumn('second_factor', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}
