/**
 * Words and shapes the administration pages show: role and type names, status
 * tags, times, and the success messages a page shows after a change.
 */
import { ORGANISATION_TYPE_NAMES, ROLE_NAMES, type OrganisationType, type Role } from '../access/permissions.ts';
import type { AuditRow } from '../audit/audit.repository.ts';
import { requestValue } from '../site/request-values.ts';

/** "Organisation administrator", without the explanation in brackets. */
export function roleLabel(role: Role): string {
  return ROLE_NAMES[role].replace(/ \(.*\)$/, '');
}

/** "invites and manages the organisation’s people": the explanation alone, for hints. */
export function roleHint(role: Role): string {
  const hint = /\((.*)\)$/.exec(ROLE_NAMES[role])?.[1] ?? '';
  return hint.charAt(0).toUpperCase() + hint.slice(1);
}

export function typeLabel(type: OrganisationType): string {
  return ORGANISATION_TYPE_NAMES[type] ?? type;
}

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  active: { text: 'Active', classes: 'govuk-tag--green' },
  unverified: { text: 'Invited', classes: 'govuk-tag--blue' },
  suspended: { text: 'Suspended', classes: 'govuk-tag--orange' },
  removed: { text: 'Closed', classes: 'govuk-tag--grey' },
};

/** A govukTag for a person's or an organisation's status. */
export function statusTag(status: string): { text: string; classes: string } {
  return STATUS_TAGS[status] ?? { text: status, classes: 'govuk-tag--grey' };
}

const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "23 Nov 2026, 08:00" in UK time; '' for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : TIME.format(time);
}

/** Success banners after Post/Redirect/Get: the page is told which one by a fixed key, never by free text. */
export const DONE_MESSAGES = {
  'organisation-created': 'Organisation created',
  'organisation-suspended': 'Organisation suspended: its people’s roles there no longer grant anything',
  'organisation-reactivated': 'Organisation reactivated',
  invited: 'Invitation sent',
  'role-added': 'Role added',
  'role-removed': 'Role removed',
  suspended: 'Account suspended and all its sessions ended',
  reactivated: 'Account reactivated',
  'removed-here': 'Removed from this organisation',
  closed: 'Account closed and all its sessions ended',
  'session-ended': 'Session ended',
  'sessions-ended': 'All sessions ended',
  'invitation-resent': 'A new invitation was sent; earlier links no longer work',
} as const;
export type DoneKey = keyof typeof DONE_MESSAGES;
/** The messages by key, for a key read from a link: only the object's own keys. */
const DONE_BY_KEY: ReadonlyMap<string, string> = new Map(Object.entries(DONE_MESSAGES));

export function doneMessage(query: unknown): string | null {
  const key = requestValue(query, 'done');
  return typeof key === 'string' ? (DONE_BY_KEY.get(key) ?? null) : null;
}

/** An audit entry as a table row. */
export function auditRowView(row: AuditRow): { sequence: number; when: string; actor: string; organisation: string; action: string; subject: string; reason: string; details: string } {
  return {
    sequence: row.sequence,
    when: formatTime(row.occurred_at),
    actor: row.actor_id ?? 'system',
    organisation: row.actor_org ?? '',
    action: row.action,
    subject: row.subject_type === null ? '' : `${row.subject_type} ${row.subject_id ?? ''}`,
    reason: row.reason ?? '',
    details: row.details ?? '',
  };
}
