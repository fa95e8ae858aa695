/**
 * The permission model, as data, in one place. A person reading this file should be
 * able to answer "who may do what, and where?" without reading any other code.
 *
 * - An ACTION is something a route or service does (every route declares one).
 * - A ROLE is held by a person in an organisation (table `memberships`).
 * - A GRANT gives a role an action within a SCOPE, judged against the action's target:
 *     any               anywhere
 *     self              the target is the person themself (their own account)
 *     own_organisation  the target belongs to the organisation the role is held in
 *     own_force         the target lies in the police force area of that organisation
 *     own_neighbourhood the target is that organisation's own neighbourhood (neighbourhood teams)
 *     own_scheme        the target is the Neighbourhood Watch scheme the scheme role is held in
 * Nothing is allowed unless a grant below allows it.
 */

import { ORGANISATION_TYPES, ROLES, TIERS, type MembershipRole, type OrganisationType, type Role, type Tier } from '../store/column-values.ts';

// Organisation types, tiers and roles are stored values, so their lists are kept with
// the table types (src/store/column-values.ts); every type and role is named again below.
export { ORGANISATION_TYPES, ROLES, TIERS, type OrganisationType, type Role, type Tier };

export const ORGANISATION_TYPE_NAMES: Record<OrganisationType, string> = {
  police_force: 'Police force',
  pcc_office: 'Police and Crime Commissioner’s office',
  neighbourhood_team: 'Neighbourhood policing team',
  local_authority: 'Local authority',
  charity: 'Charity',
  watch_association: 'Neighbourhood Watch association',
  rocu: 'Regional organised crime unit',
  national_agency: 'National agency',
  platform: 'Platform operator',
};

export const ROLE_NAMES: Record<Role, string> = {
  member: 'Member (signs in; no extra powers)',
  neighbourhood_officer: 'Neighbourhood officer (edits their neighbourhood’s page)',
  force_admin: 'Force administrator (manages the force’s neighbourhoods and teams)',
  org_admin: 'Organisation administrator (invites and manages the organisation’s people)',
  auditor: 'Auditor (reads the audit log about their organisation)',
  platform_admin: 'Platform administrator (organisations, all people, email outbox, audit log)',
  watch_admin: 'Watch area administrator (approves, verifies, suspends and merges Neighbourhood Watch schemes in the force area)',
  content_editor: 'Content editor (writes and publishes the “Spot the signs” guides)',
};

/** Which organisations a role can be held in; anything else is refused when granted. */
export const ROLE_ORGANISATION_TYPES: Record<Role, readonly OrganisationType[]> = {
  member: ORGANISATION_TYPES,
  neighbourhood_officer: ['neighbourhood_team'],
  force_admin: ['police_force'],
  org_admin: ORGANISATION_TYPES,
  auditor: ORGANISATION_TYPES,
  platform_admin: ['platform'],
  // The local Neighbourhood Watch association, or the police where there is none.
  watch_admin: ['watch_association', 'police_force'],
  // The force's communications staff, the Police and Crime Commissioner's office, or the platform's operator.
  content_editor: ['police_force', 'pcc_office', 'platform'],
};

/**
 * Roles held in a Neighbourhood Watch scheme rather than an organisation (table
 * `watch_memberships`, active memberships only). They need no second factor: they
 * are residents running their street's scheme.
 */
export const SCHEME_ROLES = ['scheme_coordinator', 'scheme_deputy', 'scheme_member'] as const satisfies readonly `scheme_${MembershipRole}`[];
export type SchemeRole = (typeof SCHEME_ROLES)[number];

/**
 * Holding any organisation role makes a person staff or a partner: they must use a
 * second factor (TOTP) before their session is of any use (ASVS 6.3.3, level 2).
 * Residents (no memberships) sign in with a password alone.
 */
export const MFA_REQUIRED_FOR_ANY_ROLE = true;

export const SCOPES = ['any', 'self', 'own_organisation', 'own_force', 'own_neighbourhood', 'own_scheme'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who a grant is for: a role, any signed-in person, or everyone including anonymous visitors. */
export type Grantee = Role | SchemeRole | 'signed_in' | 'everyone';

export interface Grant {
  to: Grantee;
  scope: Scope;
}

const PEOPLE_ADMINS: Grant[] = [
  { to: 'org_admin', scope: 'own_organisation' },
  { to: 'platform_admin', scope: 'any' },
];

export const PERMISSIONS = {
  // Public pages and the open data API.
  'public.view': [{ to: 'everyone', scope: 'any' }],
  // Sign-in, sign-up, recovery and invitation forms: open to all, throttled.
  'account.authenticate': [{ to: 'everyone', scope: 'any' }],
  // Own account: details, password, MFA, sessions, sign out everywhere.
  'account.manage_own': [{ to: 'signed_in', scope: 'self' }],

  // A neighbourhood page's team, contacts, stations, priorities and events.
  'neighbourhood.edit': [
    { to: 'neighbourhood_officer', scope: 'own_neighbourhood' },
    { to: 'force_admin', scope: 'own_force' },
  ],
  // Creating neighbourhoods and the teams (organisations) that run them.
  'neighbourhood.manage': [{ to: 'force_admin', scope: 'own_force' }],

  'person.view': PEOPLE_ADMINS,
  'person.invite': PEOPLE_ADMINS,
  'person.suspend': PEOPLE_ADMINS,
  'person.remove': PEOPLE_ADMINS,
  'person.change_roles': PEOPLE_ADMINS,
  'person.end_sessions': PEOPLE_ADMINS,

  'organisation.manage': [{ to: 'platform_admin', scope: 'any' }],
  'audit.view': [
    { to: 'auditor', scope: 'own_organisation' },
    { to: 'platform_admin', scope: 'any' },
  ],
  'outbox.view': [{ to: 'platform_admin', scope: 'any' }],
  'outbox.retry': [{ to: 'platform_admin', scope: 'any' }],

  // Neighbourhood Watch. Finding schemes, applying and writing to a coordinator are
  // open to everyone (throttled, with email verification); starting one needs an account.
  'watch.apply': [{ to: 'everyone', scope: 'any' }],
  'watch.start': [{ to: 'signed_in', scope: 'any' }],
  // One's own memberships: see, download, leave.
  'watch.own_membership': [{ to: 'signed_in', scope: 'self' }],
  // Applications, members, messages, updates, deputies.
  'watch.coordinate': [
    { to: 'scheme_coordinator', scope: 'own_scheme' },
    { to: 'scheme_deputy', scope: 'own_scheme' },
  ],
  // Only the main coordinator hands a scheme over or closes it.
  'watch.lead': [{ to: 'scheme_coordinator', scope: 'own_scheme' }],
  // Approve, verify, suspend and merge schemes in the force area.
  'watch.administer': [{ to: 'watch_admin', scope: 'own_force' }],

  // The "Spot the signs" guides (src/signs/): one set for the whole site, not one per
  // force, so the grant is 'any'. Force administrators keep them right too.
  'guide.edit': [
    { to: 'content_editor', scope: 'any' },
    { to: 'force_admin', scope: 'any' },
  ],
} as const satisfies Record<string, readonly Grant[]>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

export function grantsFor(action: Action): readonly Grant[] {
  return PERMISSIONS[action];
}

/** True when the action needs nobody to be signed in. */
export function isOpenToEveryone(action: Action): boolean {
  return PERMISSIONS[action].some((g) => g.to === 'everyone');
}
