/**
 * The permission table as a person reads it: one row per action, one column per
 * role, each cell the scope it is allowed in. `safe-communities permissions` prints
 * it and docs/PERMISSIONS.md holds a copy that a test keeps in step.
 */
import { ACTIONS, PERMISSIONS, ROLES, SCHEME_ROLES, type Grant, type Grantee } from './permissions.ts';

const SCOPE_WORDS: Record<Grant['scope'], string> = {
  any: 'yes',
  self: 'own account',
  own_organisation: 'own organisation',
  own_force: 'own force',
  own_neighbourhood: 'own neighbourhood',
  own_scheme: 'own scheme',
};

const COLUMNS: Grantee[] = ['everyone', 'signed_in', ...ROLES, ...SCHEME_ROLES];

function cell(action: (typeof ACTIONS)[number], column: Grantee): string {
  const grants: readonly Grant[] = PERMISSIONS[action];
  const words = grants.filter((g) => g.to === column).map((g) => SCOPE_WORDS[g.scope]);
  return words.length === 0 ? '–' : words.join(', ');
}

export function permissionsMarkdown(): string {
  const header = `| Action | ${COLUMNS.join(' | ')} |`;
  const rule = `|${' --- |'.repeat(COLUMNS.length + 1)}`;
  const rows = ACTIONS.map((action) => `| \`${action}\` | ${COLUMNS.map((c) => cell(action, c)).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}
