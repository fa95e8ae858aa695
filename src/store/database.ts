/**
 * Table types for Kysely. One schema serves SQLite and PostgreSQL, so booleans are
 * stored as 0/1 integers and structured values (contact details, boundaries) as
 * JSON text: both stores then hand back the same shapes.
 */
import type { Generated } from 'kysely';
import type {
  AccountTokenPurpose,
  DatasetKind,
  JoinPolicy,
  MembershipRole,
  MembershipStatus,
  MessageDirection,
  OrganisationStatus,
  OrganisationType,
  OutboxStatus,
  PersonStatus,
  Role,
  SchemeBadge,
  SchemeStatus,
  SessionStage,
  ThreadStatus,
  Tier,
} from './column-values.ts';

export type { DatasetKind } from './column-values.ts';

/** `YYYY-MM` text; sorts correctly as a string in both stores. */
export type Month = string;

export interface ForceTable {
  id: string;
  name: string;
  url: string | null;
  telephone: string | null;
  description: string | null;
  /** JSON array of { type, title, description, url }. */
  engagement_methods: string;
  /** 0 for forces absent from /forces upstream (btp). */
  listed: number;
  is_demo: number;
}

export interface ForcePersonTable {
  force_id: string;
  position: number;
  name: string;
  rank: string;
  bio: string | null;
  contact_details: string;
}

/** An anonymised snap point; `id` is the API's `street.id` and never changes once given. */
export interface LocationTable {
  id: Generated<number>;
  latitude: number;
  longitude: number;
  street_name: string;
}

export interface CrimeTable {
  id: Generated<number>;
  force_id: string;
  month: Month;
  category: string;
  /** Crime ID from the CSV; '' for anti-social behaviour and forces that publish none. */
  persistent_id: string;
  location_id: number | null;
  location_type: string;
  location_subtype: string;
  context: string;
  lsoa_code: string;
  lsoa_name: string;
  /** The street file's `Last outcome category`, kept as published. */
  last_outcome: string;
  /** Latest outcome known from outcomes files: code and month. Null when none. */
  outcome_code: string | null;
  outcome_month: Month | null;
}

export interface OutcomeTable {
  id: Generated<number>;
  force_id: string;
  /** Month the outcome was recorded, not the crime's month. */
  month: Month;
  persistent_id: string;
  outcome_code: string;
  location_id: number | null;
  lsoa_code: string;
  lsoa_name: string;
}

export interface StopTable {
  id: Generated<number>;
  force_id: string;
  month: Month;
  type: string;
  datetime: string;
  involved_person: number;
  operation: number | null;
  operation_name: string | null;
  location_id: number | null;
  gender: string | null;
  age_range: string | null;
  self_defined_ethnicity: string | null;
  officer_defined_ethnicity: string | null;
  legislation: string | null;
  object_of_search: string | null;
  outcome: string;
  outcome_linked: number | null;
  removal_of_outer_clothing: number | null;
}

/** One row per force/month/kind that has been imported: the gaps are what is missing. */
export interface PublicationTable {
  force_id: string;
  month: Month;
  kind: DatasetKind;
  rows: number;
  rejected: number;
  source: string;
  imported_at: string;
}

export interface NeighbourhoodTable {
  force_id: string;
  id: string;
  name: string;
  description: string | null;
  url_force: string | null;
  population: string;
  centre_latitude: number | null;
  centre_longitude: number | null;
  contact_details: string;
  links: string;
  locations: string;
  /** JSON array of [lat, lng] pairs, ring closed. '[]' when unknown. */
  boundary: string;
  min_latitude: number | null;
  min_longitude: number | null;
  max_latitude: number | null;
  max_longitude: number | null;
  /** When staff last changed it here (src/staff/); null while only upstream has written it. `fetch` skips it when set. */
  edited_locally_at: string | null;
}

export interface NeighbourhoodPersonTable {
  force_id: string;
  neighbourhood_id: string;
  position: number;
  name: string;
  rank: string;
  /** What the public sees: only ever a biography the member agreed to publish. */
  bio: string | null;
  contact_details: string;
  /** Stable id for staff tools and photos (positions change); null until staff tools first list the team. */
  member_id: string | null;
  /** The biography as staff typed it, kept whatever the consent. */
  entered_bio: string | null;
  /** 1 when the member agreed to their biography being published (upstream records default to 1). */
  bio_consent: Generated<number>;
  /** 1 when the member agreed to their photo being published. */
  photo_consent: Generated<number>;
}

/** A team member's photo, re-encoded to a fixed-size JPEG without metadata (src/staff/photo-image.ts). */
export interface TeamPhotoTable {
  id: string;
  force_id: string;
  neighbourhood_id: string;
  member_id: string;
  content_type: string;
  width: number;
  height: number;
  image: Buffer;
  created_at: string;
}

export interface NeighbourhoodEventTable {
  force_id: string;
  neighbourhood_id: string;
  position: number;
  title: string;
  type: string | null;
  description: string | null;
  address: string | null;
  start_date: string;
  end_date: string | null;
  contact_details: string;
}

export interface NeighbourhoodPriorityTable {
  force_id: string;
  neighbourhood_id: string;
  position: number;
  issue: string;
  issue_date: string | null;
  action: string | null;
  action_date: string | null;
}

/** Where a postcode is, from the ONS Postcode Directory or the demo. Live postcodes with coordinates only. */
export interface PostcodeTable {
  /** Upper case, one space before the inward code: `SO23 8UA`. */
  postcode: string;
  /** `SO23`: a district typed on its own is looked up by this. */
  outward: string;
  latitude: number;
  longitude: number;
  /** ONS code of the local authority district (e.g. E07000094), when the source gives one. */
  local_authority_code: string | null;
  /** `onspd`, `csv` (postcode, latitude, longitude columns) or `demo`. */
  source: string;
}

/** One audit entry; append-only and hash-chained (src/audit/audit-hash.ts). */
export interface AuditLogTable {
  /** 1, 2, 3… with no gaps: a gap means an entry was removed. */
  sequence: number;
  /** ISO 8601 UTC with milliseconds (`Date.prototype.toISOString`), so it sorts as text. */
  occurred_at: string;
  /** Person id; null for the system or an anonymous client. */
  actor_id: string | null;
  actor_org: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  reason: string | null;
  client_address: string | null;
  /** Small JSON object as text, hashed exactly as stored. */
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

/** An organisation: a force, a team, a council, a charity, an agency (src/organisations/). */
export interface OrganisationTable {
  id: string;
  name: string;
  type: OrganisationType;
  tier: Tier;
  force_id: string | null;
  neighbourhood_id: string | null;
  status: OrganisationStatus;
  created_at: string;
}

/** A person with an account (src/accounts/). */
export interface PersonTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  status: PersonStatus;
  email_verified_at: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  mfa_enabled_at: string | null;
  privilege_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

/** A role a person holds in an organisation (src/access/permissions.ts says what it allows). */
export interface MembershipTable {
  person_id: string;
  organisation_id: string;
  role: Role;
  granted_by: string | null;
  created_at: string;
}

export interface RecoveryCodeTable {
  person_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface SessionTable {
  id_hash: string;
  person_id: string;
  stage: SessionStage;
  privilege_version: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_address: string | null;
  user_agent: string | null;
  /** 1 when the person gave a second factor in this session. */
  second_factor: Generated<number>;
}

export interface AccountTokenTable {
  token_hash: string;
  purpose: AccountTokenPurpose;
  person_id: string;
  details: Generated<string>;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface ThrottleTable {
  key: string;
  hits: number;
  window_started_at: string;
  locked_until: string | null;
  updated_at: string;
}

/** Refusals counted before they are summarised in the audit log (src/audit/denials.repository.ts). */
export interface AccessDenialTable {
  key: string;
  actor_id: string;
  actor_org: string | null;
  client_address: string | null;
  wanted: string;
  method: string;
  route: string;
  target: string | null;
  over_actor_limit: number;
  window_started_at: string;
  last_at: string;
  pending: number;
  throttled: number;
}

export interface OutboxTable {
  id: Generated<number>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  template: string;
  status: OutboxStatus;
  attempts: Generated<number>;
  next_attempt_at: string;
  claimed_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A Neighbourhood Watch scheme (src/watch/). */
export interface WatchSchemeTable {
  id: string;
  name: string;
  force_id: string | null;
  area: string;
  centre_latitude: number;
  centre_longitude: number;
  min_latitude: number;
  min_longitude: number;
  max_latitude: number;
  max_longitude: number;
  status: SchemeStatus;
  badge: Generated<SchemeBadge>;
  join_policy: Generated<JoinPolicy>;
  merged_into: string | null;
  created_by: string;
  code_of_conduct_accepted_at: string;
  created_at: string;
  approved_at: string | null;
  approved_by: string | null;
  closed_at: string | null;
}

export interface WatchSchemeNeighbourhoodTable {
  scheme_id: string;
  force_id: string;
  neighbourhood_id: string;
}

export interface WatchMembershipTable {
  scheme_id: string;
  person_id: string;
  role: MembershipRole;
  status: MembershipStatus;
  name: string;
  street: string;
  outside_area: Generated<number>;
  consented_at: string;
  updates_opted_out_at: string | null;
  applied_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface WatchThreadTable {
  id: string;
  scheme_id: string;
  sender_person_id: string | null;
  sender_name: string;
  sender_email: string;
  sender_token_hash: string;
  subject: string;
  status: ThreadStatus;
  created_at: string;
  last_message_at: string;
}

export interface WatchMessageTable {
  id: Generated<number>;
  thread_id: string;
  direction: MessageDirection;
  author_person_id: string | null;
  body: string;
  created_at: string;
}

export interface WatchNewsTable {
  id: Generated<number>;
  scheme_id: string;
  title: string;
  body: string;
  public: number;
  emailed_to: Generated<number>;
  author_person_id: string;
  created_at: string;
}

/** A "Spot the signs" guide (src/signs/); its text is in guide_versions. */
export interface GuideTable {
  slug: string;
  position: number;
  created_at: string;
}

/** One version of a guide: every edit adds one, none is overwritten. */
export interface GuideVersionTable {
  id: Generated<number>;
  slug: string;
  version: number;
  title: string;
  summary: string;
  /** Markdown, rendered through the sanitiser when shown. */
  body: string;
  /** 1 published, 0 draft. */
  published: number;
  /** Null for the platform's default text. */
  author_person_id: string | null;
  created_at: string;
}

export interface Database {
  forces: ForceTable;
  force_people: ForcePersonTable;
  locations: LocationTable;
  crimes: CrimeTable;
  outcomes: OutcomeTable;
  stops: StopTable;
  publications: PublicationTable;
  neighbourhoods: NeighbourhoodTable;
  neighbourhood_people: NeighbourhoodPersonTable;
  neighbourhood_events: NeighbourhoodEventTable;
  neighbourhood_priorities: NeighbourhoodPriorityTable;
  team_photos: TeamPhotoTable;
  meta: MetaTable;
  postcodes: PostcodeTable;
  audit_log: AuditLogTable;
  organisations: OrganisationTable;
  people: PersonTable;
  memberships: MembershipTable;
  recovery_codes: RecoveryCodeTable;
  sessions: SessionTable;
  account_tokens: AccountTokenTable;
  throttle: ThrottleTable;
  access_denials: AccessDenialTable;
  outbox: OutboxTable;
  watch_schemes: WatchSchemeTable;
  watch_scheme_neighbourhoods: WatchSchemeNeighbourhoodTable;
  watch_memberships: WatchMembershipTable;
  watch_threads: WatchThreadTable;
  watch_messages: WatchMessageTable;
  watch_news: WatchNewsTable;
  guides: GuideTable;
  guide_versions: GuideVersionTable;
}
