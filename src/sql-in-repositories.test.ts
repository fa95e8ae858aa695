/**
 * SQL lives in repositories (docs/ARCHITECTURE.md; issue 9, item 3): a Kysely query
 * (`.selectFrom(`, `.insertInto(`, `.updateTable(`, `.deleteFrom(`, or a `sql`
 * template) in a non-test file under src/ must be in a *.repository.ts file, or in
 * one of the places listed below, each with the reason SQL is there. A failure
 * lists every file:line; move the query into the feature's repository (a function
 * taking the db or transaction handle first) rather than growing the list.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

/** A query builder call, or a `sql` tagged template (with or without a type argument). */
const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql(<[^`\n]*>)?`/;

/** Where SQL may live outside *.repository.ts, with why. Paths are relative to the project, with '/'. */
const ALLOWED: readonly { pattern: RegExp; reason: string }[] = [
  // The store itself: its migrations create tables and triggers; its helpers build SQL for the repositories.
  { pattern: /^src\/store\//, reason: 'the store layer: migrations, schema and SQL helpers' },
  // Test set-up reads and writes the store directly to arrange and inspect cases.
  { pattern: /\.test-helper\.ts$/, reason: 'test helpers arrange and inspect rows directly' },
  { pattern: /^src\/access\/matrix\.fixtures\.ts$/, reason: 'the permission matrix test fixture resets its rows between cases' },
  { pattern: /^src\/import\/test-fixtures\.ts$/, reason: 'import test fixture counts rows per table' },
  // Data writers that own a whole data set.
  { pattern: /^src\/demo\/organisations\.ts$/, reason: 'demo data writer: upserts the demo organisations' },
  { pattern: /^src\/demo\/demo\.service\.ts$/, reason: 'demo data writer: removes stale demo months across the crime tables in one transaction' },
  // Modules that are their table's only reader and writer.
  { pattern: /^src\/accounts\/recovery-codes\.ts$/, reason: 'recovery codes: hashing and their table in one module (the codes never leave it)' },
];

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Every line of a non-test, non-repository file that holds a query, as 'file:line: text'; comment lines are skipped. */
function queriesOutsideRepositories(): { file: string; where: string }[] {
  const hits: { file: string; where: string }[] = [];
  for (const path of sourceFiles(src)) {
    const file = relative(root, path).split(sep).join('/');
    if (file.endsWith('.repository.ts')) continue;
    readFileSync(path, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const line = text.trim();
        if (line.startsWith('//') || line.startsWith('*') || line.startsWith('/*')) return;
        if (QUERY.test(line)) hits.push({ file, where: `${file}:${i + 1}: ${line}` });
      });
  }
  return hits;
}

it('Kysely queries appear only in *.repository.ts files and the listed places', () => {
  const outside = queriesOutsideRepositories().filter((hit) => !ALLOWED.some((a) => a.pattern.test(hit.file)));
  assert.deepEqual(
    outside.map((hit) => hit.where),
    [],
    `SQL outside a repository; move it into the feature's *.repository.ts:\n  ${outside.map((hit) => hit.where).join('\n  ')}`,
  );
});

it('every entry of the allowlist still covers a file holding SQL', () => {
  const files = queriesOutsideRepositories().map((hit) => hit.file);
  const stale = ALLOWED.filter((a) => !files.some((file) => a.pattern.test(file)));
  assert.deepEqual(stale.map((a) => `${a.pattern} (${a.reason})`), [], 'these allowlist entries match no SQL any more; remove them');
});
