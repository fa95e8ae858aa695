/**
 * Audit entries as terminal lines. Every value that came from a user goes out
 * JSON-quoted, so newlines, ANSI escapes or fake fields in it cannot forge or
 * disguise a line (log injection).
 */
import type { AuditRow } from './audit.repository.ts';
import type { AuditVerifyResult } from './audit-verify.ts';

const q = (value: string) => JSON.stringify(value);

/** One line per entry: `#12 2026-11-23T08:00:00.000Z record.view actor="p-17" org="hampshire" subject=person:"x9" …`. */
export function formatAuditLine(row: AuditRow): string {
  const parts = [`#${row.sequence}`, row.occurred_at, q(row.action).slice(1, -1)];
  parts.push(row.actor_id === null ? 'actor=system' : `actor=${q(row.actor_id)}`);
  if (row.actor_org !== null) parts.push(`org=${q(row.actor_org)}`);
  if (row.subject_type !== null) parts.push(`subject=${row.subject_type}:${q(row.subject_id ?? '')}`);
  if (row.client_address !== null) parts.push(`from=${q(row.client_address)}`);
  if (row.reason !== null) parts.push(`reason=${q(row.reason)}`);
  if (row.details !== null) parts.push(`details=${q(row.details)}`);
  return parts.join(' ');
}

/** The verify command's output lines. */
export function formatVerifyResult(result: AuditVerifyResult): string[] {
  if (result.ok) {
    return result.head === null
      ? ['Audit log intact: no entries yet.']
      : [`Audit log intact: ${result.entries} entries, head ${result.head.sequence}:${result.head.hash} (keep this to check later with --expect-head).`];
  }
  return [
    `Audit log BROKEN: ${result.problems.length} problem(s) in ${result.entries} entries.`,
    ...result.problems.map((p) => `  #${p.sequence}: ${p.problem}`),
  ];
}
