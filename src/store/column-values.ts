/**
 * The values an enumerated column may hold, as lists and as the union types that
 * database.ts gives those columns. They live here, in the bottom layer, so the
 * table types can name them without importing a feature; the features re-export
 * them where their readers look (ROLES from src/access/permissions.ts, SchemeStatus
 * from src/watch/schemes.repository.ts, and so on).
 *
 * The migrations declare these columns as plain text with no CHECK constraint:
 * these types are what keeps other values out. Stored values are stable strings;
 * renaming one needs a migration that rewrites the rows.
 */

/**
 * Whether a value from outside (a form field, a link, stored JSON) is one of `values`;
 * narrows it to their union, so no cast is needed after the check.
 * @example if (!isOneOf(ROLES, field(fields, 'role'))) return 'Select a role';
 */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return values.some((v) => v === value);
}

/** What kind of body an organisation is (table `organisations`). */
export const ORGANISATION_TYPES = [
  'police_force',
  'pcc_office',
  'neighbourhood_team',
  'local_authority',
  'charity',
  'watch_association',
  'rocu',
  'national_agency',
  'platform',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const TIERS = ['local', 'regional', 'national'] as const;
export type Tier = (typeof TIERS)[number];

/** A suspended organisation's roles give nothing (migration default: 'active'). */
export const ORGANISATION_STATUSES = ['active', 'suspended'] as const;
export type OrganisationStatus = (typeof ORGANISATION_STATUSES)[number];

/** A role a person holds in an organisation (table `memberships`); src/access/permissions.ts says what each allows. */
export const ROLES = ['member', 'neighbourhood_officer', 'force_admin', 'org_admin', 'auditor', 'platform_admin', 'watch_admin', 'content_editor'] as const;
export type Role = (typeof ROLES)[number];

/** An account's status (table `people`). 'removed' is a closed account. */
export const PERSON_STATUSES = ['unverified', 'active', 'suspended', 'removed'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** 'mfa': password accepted, second factor awaited. 'enrol': must set up a second factor. 'full': signed in. */
export const SESSION_STAGES = ['mfa', 'enrol', 'full'] as const;
export type SessionStage = (typeof SESSION_STAGES)[number];

/** 'watch_apply' confirms a Neighbourhood Watch application (and the applicant's address); kept apart from 'verify_email' so neither link works as the other. */
export const ACCOUNT_TOKEN_PURPOSES = ['verify_email', 'invite', 'recover', 'watch_apply'] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** An email's place in the outbox (src/mail/outbox.repository.ts draws the states). */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Which of the three data.police.uk files a publication came from (table `publications`). */
export const DATASET_KINDS = ['street', 'outcomes', 'stop-and-search'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

/** A Neighbourhood Watch scheme's status (table `watch_schemes`). */
export const SCHEME_STATUSES = ['pending', 'active', 'suspended', 'closed', 'merged'] as const;
export type SchemeStatus = (typeof SCHEME_STATUSES)[number];

/** Who vouches for a scheme (migration default: 'self_declared'). */
export const SCHEME_BADGES = ['self_declared', 'association_verified', 'police_verified'] as const;
export type SchemeBadge = (typeof SCHEME_BADGES)[number];

/** Whether applicants join at once or wait for a coordinator (migration default: 'approval'). */
export const JOIN_POLICIES = ['automatic', 'approval'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

/** A role in a scheme (table `watch_memberships`); src/access/permissions.ts grants it as `scheme_<role>`. */
export const MEMBERSHIP_ROLES = ['coordinator', 'deputy', 'member'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

/** A scheme membership's status; only 'active' ones give a scheme role. */
export const MEMBERSHIP_STATUSES = ['unconfirmed', 'pending', 'active', 'declined', 'left', 'removed'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/** A conversation with a scheme's coordinators (table `watch_threads`). */
export const THREAD_STATUSES = ['open', 'closed', 'reported'] as const;
export type ThreadStatus = (typeof THREAD_STATUSES)[number];

/** Which way a message in a thread went (table `watch_messages`). */
export const MESSAGE_DIRECTIONS = ['to_scheme', 'to_sender'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
