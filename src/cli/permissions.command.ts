import type { Command } from 'commander';
import { permissionsMarkdown } from '../access/permissions-table.ts';

export function registerPermissionsCommand(program: Command): void {
  program
    .command('permissions')
    .description('print the permission table: which role may do which action, and where (src/access/permissions.ts)')
    .action(() => {
      console.log(permissionsMarkdown());
    });
}
