/**
 * The hash chain. Kept apart from storage so the verifier and the writer cannot
 * drift: both call auditHash on the same row shape.
 */
import { createHash } from 'node:crypto';
import type { AuditLogTable } from '../store/database.ts';

/** The previous hash of entry 1. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Canonical form, exactly: the UTF-8 bytes of `JSON.stringify` of this array, in
 * this order, with nulls as JSON null and sequence as a JSON number:
 *
 *   [sequence, occurred_at, actor_id, actor_org, action, subject_type, subject_id,
 *    reason, client_address, details, prev_hash]
 *
 * `details` is the stored JSON text as a JSON string (not re-parsed), so the bytes
 * hashed are the bytes kept. An array of primitives has only one JSON.stringify
 * output, which is why no general JSON canonicalisation (RFC 8785) is needed.
 * hash = lower-case hex SHA-256 of that text. Because prev_hash is inside, each
 * hash commits to the whole history before it.
 */
export function canonicalAuditText(row: Omit<AuditLogTable, 'hash'>): string {
  return JSON.stringify([
    row.sequence,
    row.occurred_at,
    row.actor_id,
    row.actor_org,
    row.action,
    row.subject_type,
    row.subject_id,
    row.reason,
    row.client_address,
    row.details,
    row.prev_hash,
  ]);
}

/** SHA-256 (hex) of the canonical form of a row. */
export function auditHash(row: Omit<AuditLogTable, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditText(row), 'utf8').digest('hex');
}
