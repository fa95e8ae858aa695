/**
 * `safe-communities audit`: checks and reads the audit log from the command line,
 * for administrators with access to the server (the web view comes with accounts).
 */
import type { Command } from 'commander';
import { parseAuditListOptions, parseAuditVerifyOptions } from '../audit/audit-list.schema.ts';
import { formatAuditLine, formatVerifyResult } from '../audit/audit-format.ts';
import { listAudit } from '../audit/audit.repository.ts';
import { verifyAuditChain } from '../audit/audit-verify.ts';
import { withStore } from './context.ts';

const VERIFY_EXAMPLES = `
Examples:
  safe-communities audit verify
  safe-communities audit verify --expect-head 1234:3f0c…(64 hex digits)
  DATABASE_URL=postgres://localhost/safe safe-communities audit verify

Recomputes every entry's hash and link from the first entry on. Exits 0 with a
one-line summary when the chain is intact, 1 listing each problem (altered,
removed, reordered or forged entries) when not. Keep the printed head somewhere
else: --expect-head then also catches a truncated or wholly rewritten log.`;

const LIST_EXAMPLES = `
Examples:
  safe-communities audit list                              the latest 100 entries
  safe-communities audit list --actor p-17 --limit 20
  safe-communities audit list --subject person:x9 --since 2026-11-01
  safe-communities audit list --since 2026-11-23T08:00Z --until 2026-11-23T18:00Z --json

Newest first. --since is inclusive, --until exclusive; times are UTC unless they say otherwise.`;

/** Adds `audit verify` and `audit list` to the program. */
export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('verify and read the tamper-evident audit log');

  audit
    .command('verify')
    .description('check the audit hash chain; exit 1 and list each problem when it is broken')
    .option('--expect-head <seq:hash>', 'a head printed by an earlier verify, which must still be there unchanged')
    .addHelpText('after', VERIFY_EXAMPLES)
    .action(async (raw: unknown) => {
      const options = parseAuditVerifyOptions(raw);
      if (!options.ok) {
        console.error(options.message);
        process.exitCode = 2;
        return;
      }
      const { expectHead } = options.value;
      const result = await withStore((store) => verifyAuditChain(store, expectHead ? { expectHead } : {}));
      for (const line of formatVerifyResult(result)) (result.ok ? console.log : console.error)(line);
      if (!result.ok) process.exitCode = 1;
    });

  audit
    .command('list')
    .description('list audit entries, newest first, filtered by person, record and time')
    .option('--actor <id>', 'only entries by this person id')
    .option('--subject <type:id>', 'only entries about this record, such as person:x9')
    .option('--since <iso>', 'only entries at or after this time')
    .option('--until <iso>', 'only entries before this time')
    .option('--limit <n>', 'at most this many entries (1–1000)', '100')
    .option('--json', 'one JSON object per line instead of text', false)
    .addHelpText('after', LIST_EXAMPLES)
    .action(async (raw: unknown) => {
      const options = parseAuditListOptions(raw);
      if (!options.ok) {
        console.error(options.message);
        process.exitCode = 2;
        return;
      }
      const { filter, json } = options.value;
      const rows = await withStore((store) => listAudit(store, filter));
      for (const row of rows) console.log(json ? JSON.stringify(row) : formatAuditLine(row));
      if (rows.length === 0) console.error('No audit entries match.');
    });
}
