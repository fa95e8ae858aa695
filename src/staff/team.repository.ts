/**
 * A neighbourhood team's members as staff edit them, with their consent and
 * photos. The public `bio` column only ever holds a biography its member agreed
 * to publish; what staff typed is kept in `entered_bio` whatever the consent.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { parseJsonColumn } from '../forces/forces.repository.ts';
import type { ContactDetails, Person } from '../neighbourhoods/neighbourhood.types.ts';
import type { Database } from '../store/database.ts';
import { nextPosition } from './items.repository.ts';
import type { ProcessedPhoto } from './photo-image.ts';
import type { Db } from './staff.repository.ts';

export const MEMBER_ID = /^[A-Za-z0-9_-]{12}$/;
export const PHOTO_ID = /^[0-9a-f]{32}$/;

export interface TeamMemberRow {
  memberId: string;
  position: number;
  name: string;
  rank: string;
  /** The biography as typed (stored form), whatever the consent. */
  bio: string | null;
  bioConsent: boolean;
  photoConsent: boolean;
  contactDetails: ContactDetails;
  /** The stored photo's id, whether or not it may be published. */
  photoId: string | null;
}

export interface TeamMemberInput {
  name: string;
  rank: string;
  bio: string | null;
  bioConsent: boolean;
  photoConsent: boolean;
  contactDetails: ContactDetails;
}

const newMemberId = () => randomBytes(9).toString('base64url');

/** Gives members saved by fetch or the demo (which have none) a stable id. Changes nothing anyone sees. */
export async function assignMemberIds(db: Kysely<Database>, forceId: string, id: string): Promise<void> {
  const missing = await db
    .selectFrom('neighbourhood_people')
    .select('position')
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .where('member_id', 'is', null)
    .execute();
  for (const { position } of missing) {
    await db
      .updateTable('neighbourhood_people')
      .set({ member_id: newMemberId() })
      .where('force_id', '=', forceId)
      .where('neighbourhood_id', '=', id)
      .where('position', '=', position)
      .where('member_id', 'is', null)
      .execute();
  }
}

function memberQuery(db: Db, forceId: string, id: string) {
  return db
    .selectFrom('neighbourhood_people as p')
    .leftJoin('team_photos as ph', 'ph.member_id', 'p.member_id')
    .select(['p.member_id', 'p.position', 'p.name', 'p.rank', 'p.bio', 'p.entered_bio', 'p.bio_consent', 'p.photo_consent', 'p.contact_details', 'ph.id as photo_id'])
    .where('p.force_id', '=', forceId)
    .where('p.neighbourhood_id', '=', id)
    .where('p.member_id', 'is not', null);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof memberQuery>['executeTakeFirstOrThrow']>>;

function toMember(r: MemberRow): TeamMemberRow {
  return {
    memberId: r.member_id!,
    position: r.position,
    name: r.name,
    rank: r.rank,
    bio: r.entered_bio ?? r.bio,
    bioConsent: r.bio_consent === 1,
    photoConsent: r.photo_consent === 1,
    contactDetails: parseJsonColumn<ContactDetails>(r.contact_details),
    photoId: r.photo_id,
  };
}

/** The team in published order; call assignMemberIds first so every member is listed. */
export async function listMembers(db: Db, forceId: string, id: string): Promise<TeamMemberRow[]> {
  return (await memberQuery(db, forceId, id).orderBy('p.position').execute()).map(toMember);
}

export async function findMember(db: Db, forceId: string, id: string, memberId: string): Promise<TeamMemberRow | undefined> {
  const row = await memberQuery(db, forceId, id).where('p.member_id', '=', memberId).executeTakeFirst();
  return row ? toMember(row) : undefined;
}

function memberColumns(m: TeamMemberInput) {
  return {
    name: m.name,
    rank: m.rank,
    entered_bio: m.bio,
    bio: m.bioConsent ? m.bio : null,
    bio_consent: m.bioConsent ? 1 : 0,
    photo_consent: m.photoConsent ? 1 : 0,
    contact_details: JSON.stringify(m.contactDetails),
  };
}

/** Adds a member after the last one; returns their new id. */
export async function insertMember(db: Db, forceId: string, id: string, m: TeamMemberInput): Promise<string> {
  const memberId = newMemberId();
  const position = await nextPosition(db, 'neighbourhood_people', forceId, id);
  await db.insertInto('neighbourhood_people').values({ force_id: forceId, neighbourhood_id: id, position, member_id: memberId, ...memberColumns(m) }).execute();
  return memberId;
}

export async function updateMember(db: Db, forceId: string, id: string, memberId: string, m: TeamMemberInput): Promise<void> {
  await db.updateTable('neighbourhood_people').set(memberColumns(m)).where('force_id', '=', forceId).where('neighbourhood_id', '=', id).where('member_id', '=', memberId).execute();
}

/** Removes the member and their photo. */
export async function deleteMember(db: Db, forceId: string, id: string, memberId: string): Promise<void> {
  await deletePhoto(db, memberId);
  await db.deleteFrom('neighbourhood_people').where('force_id', '=', forceId).where('neighbourhood_id', '=', id).where('member_id', '=', memberId).execute();
}

/** Swaps the member with the one before (up) or after (down); false when already first or last. */
export async function moveMember(db: Db, forceId: string, id: string, memberId: string, direction: 'up' | 'down'): Promise<boolean> {
  const team = await listMembers(db, forceId, id);
  const at = team.findIndex((m) => m.memberId === memberId);
  const other = team[direction === 'up' ? at - 1 : at + 1];
  const self = team[at];
  if (!self || !other) return false;
  const setPosition = (member: string, position: number) =>
    db.updateTable('neighbourhood_people').set({ position }).where('force_id', '=', forceId).where('neighbourhood_id', '=', id).where('member_id', '=', member).execute();
  // Through a free position, as (force, neighbourhood, position) is the primary key.
  await setPosition(self.memberId, -1 - self.position);
  await setPosition(other.memberId, self.position);
  await setPosition(self.memberId, other.position);
  return true;
}

/** Stores a member's new photo in place of any earlier one, under a new random id (its public file name). */
export async function savePhoto(db: Db, forceId: string, id: string, memberId: string, photo: ProcessedPhoto, now: Date): Promise<string> {
  await deletePhoto(db, memberId);
  const photoId = randomBytes(16).toString('hex');
  await db
    .insertInto('team_photos')
    .values({
      id: photoId,
      force_id: forceId,
      neighbourhood_id: id,
      member_id: memberId,
      content_type: photo.contentType,
      width: photo.width,
      height: photo.height,
      image: photo.image,
      created_at: now.toISOString(),
    })
    .execute();
  return photoId;
}

export async function deletePhoto(db: Db, memberId: string): Promise<void> {
  await db.deleteFrom('team_photos').where('member_id', '=', memberId).execute();
}

export interface StoredPhoto {
  contentType: string;
  image: Buffer;
}

/** A photo the public may see: its member agreed to it being published. */
export async function findPublishedPhoto(db: Kysely<Database>, photoId: string): Promise<StoredPhoto | undefined> {
  const row = await db
    .selectFrom('team_photos as ph')
    .innerJoin('neighbourhood_people as p', (join) =>
      join.onRef('p.member_id', '=', 'ph.member_id').onRef('p.force_id', '=', 'ph.force_id').onRef('p.neighbourhood_id', '=', 'ph.neighbourhood_id'),
    )
    .select(['ph.content_type', 'ph.image'])
    .where('ph.id', '=', photoId)
    .where('p.photo_consent', '=', 1)
    .executeTakeFirst();
  return row ? { contentType: row.content_type, image: Buffer.from(row.image) } : undefined;
}

/** A member's photo for staff, consent or not. */
export async function findMemberPhoto(db: Kysely<Database>, forceId: string, id: string, memberId: string): Promise<StoredPhoto | undefined> {
  const row = await db
    .selectFrom('team_photos')
    .select(['content_type', 'image'])
    .where('force_id', '=', forceId)
    .where('neighbourhood_id', '=', id)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return row ? { contentType: row.content_type, image: Buffer.from(row.image) } : undefined;
}

/** The public team: people as the API has them, each with a photo path only when its member agreed. */
export async function listPublicTeam(db: Kysely<Database>, forceId: string, id: string): Promise<Array<Person & { photoPath: string | null }>> {
  const rows = await db
    .selectFrom('neighbourhood_people as p')
    .leftJoin('team_photos as ph', (join) => join.onRef('ph.member_id', '=', 'p.member_id').on('p.photo_consent', '=', 1))
    .select(['p.name', 'p.rank', 'p.bio', 'p.contact_details', 'ph.id as photo_id'])
    .where('p.force_id', '=', forceId)
    .where('p.neighbourhood_id', '=', id)
    .orderBy('p.position')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    rank: r.rank,
    bio: r.bio,
    contact_details: parseJsonColumn<ContactDetails>(r.contact_details),
    photoPath: r.photo_id ? photoPath(r.photo_id) : null,
  }));
}

/** The public address of a photo. */
export function photoPath(photoId: string): string {
  return `/neighbourhood-photos/${photoId}.jpg`;
}
