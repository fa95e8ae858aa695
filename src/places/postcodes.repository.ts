/**
 * The postcodes table: batched writes for the importer and the demo, and the
 * lookups postcode search needs.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, PostcodeTable } from '../store/database.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import { normalisePostcode, outwardCode } from './postcode.ts';

export type PostcodeRow = PostcodeTable;
type Db = Kysely<Database> | Transaction<Database>;

/**
 * Rows per INSERT: 6 values a row keeps a statement well under both engines'
 * bound-parameter limits (SQLite 32,766; PostgreSQL 65,535).
 */
export const WRITE_BATCH = 1000;

/**
 * Inserts or replaces postcodes. The caller gives each postcode at most once
 * per call: PostgreSQL refuses to update one row twice in one statement.
 */
export async function upsertPostcodes(db: Db, rows: readonly PostcodeRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    await db
      .insertInto('postcodes')
      .values(rows.slice(i, i + WRITE_BATCH))
      .onConflict((oc) =>
        oc.column('postcode').doUpdateSet((eb) => ({
          outward: eb.ref('excluded.outward'),
          latitude: eb.ref('excluded.latitude'),
          longitude: eb.ref('excluded.longitude'),
          local_authority_code: eb.ref('excluded.local_authority_code'),
          source: eb.ref('excluded.source'),
        })),
      )
      .execute();
  }
}

/** Removes postcodes (normalised) that are terminated or have lost their coordinates. */
export async function deletePostcodes(db: Db, postcodes: readonly string[]): Promise<void> {
  for (let i = 0; i < postcodes.length; i += WRITE_BATCH) {
    await db.deleteFrom('postcodes').where('postcode', 'in', postcodes.slice(i, i + WRITE_BATCH)).execute();
  }
}

/**
 * Replaces the demo's postcodes with these, atomically, so rebuilding the demo
 * never leaves postcodes of an older build behind.
 */
export async function saveDemoPostcodes(
  db: Kysely<Database>,
  postcodes: ReadonlyArray<{ postcode: string; latitude: number; longitude: number }>,
): Promise<number> {
  const rows: PostcodeRow[] = [];
  for (const p of postcodes) {
    const postcode = normalisePostcode(p.postcode);
    if (postcode === undefined) throw new Error(`Demo postcode ${p.postcode} is not shaped like a postcode`);
    rows.push({ postcode, outward: outwardCode(postcode), latitude: p.latitude, longitude: p.longitude, local_authority_code: null, source: 'demo' });
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('postcodes').where('source', '=', 'demo').execute();
    await upsertPostcodes(trx, rows);
  });
  return rows.length;
}

/** Where a normalised postcode is; undefined when the store does not know it. */
export async function findPostcode(db: Kysely<Database>, postcode: string): Promise<(LatLng & { postcode: string }) | undefined> {
  return db
    .selectFrom('postcodes')
    .select(['postcode', 'latitude', 'longitude'])
    .where('postcode', '=', postcode)
    .executeTakeFirst();
}

/** Every postcode in a district, in postcode order. */
export async function postcodesInDistrict(db: Kysely<Database>, outward: string): Promise<Array<LatLng & { postcode: string }>> {
  return db
    .selectFrom('postcodes')
    .select(['postcode', 'latitude', 'longitude'])
    .where('outward', '=', outward)
    .orderBy('postcode')
    .execute();
}
