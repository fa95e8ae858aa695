import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { permissionsMarkdown } from './permissions-table.ts';

it('docs/SECURITY.md holds the current permission table (regenerate with safe-communities permissions)', () => {
  const doc = readFileSync(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8');
  const match = /<!-- permissions:start -->\n([\s\S]*?)\n<!-- permissions:end -->/.exec(doc);
  assert.ok(match, 'the permissions markers are missing from docs/SECURITY.md');
  assert.equal(match[1], permissionsMarkdown());
});
