/**
 * Recomputes the audit chain from entry 1 and reports every place it breaks.
 * What it cannot see on its own: a truncated tail, or a whole chain rewritten
 * consistently; both need a head (sequence and hash) recorded somewhere else,
 * which is why the summary prints the head and `expectHead` checks one.
 */
import type { Store } from '../store/store.ts';
import { GENESIS_HASH, auditHash } from './audit-hash.ts';
import { auditEntriesAfter } from './audit.repository.ts';

export interface AuditProblem {
  sequence: number;
  problem: string;
}

export type AuditVerifyResult =
  | { ok: true; entries: number; head: { sequence: number; hash: string } | null }
  | { ok: false; entries: number; problems: AuditProblem[] };

export interface VerifyOptions {
  /** Rows read per query; memory stays flat however long the log. */
  pageSize?: number;
  /** A head recorded earlier: the chain must still hold this entry with this hash. */
  expectHead?: { sequence: number; hash: string };
  /** Stop collecting after this many problems (default 1000); a wrecked log should not fill memory. */
  maxProblems?: number;
}

/**
 * Walks the whole log in sequence order, page by page (keyset, not offset, so
 * each page is an index range). Detects altered entries (hash mismatch), removed
 * ones (sequence gap, broken previous-hash link), reordered ones (both) and a
 * forged tail (broken link or hash mismatch).
 */
export async function verifyAuditChain(store: Store, options: VerifyOptions = {}): Promise<AuditVerifyResult> {
  const pageSize = options.pageSize ?? 5000;
  const maxProblems = options.maxProblems ?? 1000;
  const problems: AuditProblem[] = [];
  const report = (sequence: number, problem: string) => {
    if (problems.length < maxProblems) problems.push({ sequence, problem });
  };
  let expectedSequence = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let head: { sequence: number; hash: string } | null = null;
  let headSeen = false;
  let after = 0;
  for (;;) {
    const page = await auditEntriesAfter(store.db, after, pageSize);
    for (const row of page) {
      entries += 1;
      if (row.sequence !== expectedSequence) {
        report(row.sequence, `sequence gap: expected ${expectedSequence}, found ${row.sequence} (entries removed or renumbered)`);
      }
      if (row.prev_hash !== prevHash) {
        report(row.sequence, 'previous-hash link broken (an entry before it was removed, reordered or forged)');
      }
      const { hash, ...rest } = row;
      if (auditHash(rest) !== hash) {
        report(row.sequence, 'hash mismatch (entry altered)');
      }
      if (options.expectHead && row.sequence === options.expectHead.sequence) {
        headSeen = true;
        if (hash !== options.expectHead.hash) report(row.sequence, 'hash differs from the recorded head');
      }
      expectedSequence = row.sequence + 1;
      prevHash = hash;
      head = { sequence: row.sequence, hash };
    }
    const lastRow = page.at(-1);
    if (!lastRow || page.length < pageSize) break;
    after = lastRow.sequence;
  }
  if (options.expectHead && !headSeen) {
    report(options.expectHead.sequence, 'recorded head is missing (the log was truncated)');
  }
  return problems.length === 0 ? { ok: true, entries, head } : { ok: false, entries, problems };
}
