/**
 * `safe-communities`: one command-line tool for serving the site and loading data.
 */
import { Command } from 'commander';
import { registerAuditCommand } from './audit.command.ts';
import { registerCreateAdminCommand } from './create-admin.command.ts';
import { registerDemoCommand } from './demo.command.ts';
import { registerFetchCommand } from './fetch.command.ts';
import { registerImportCommand } from './import.command.ts';
import { registerImportPostcodesCommand } from './import-postcodes.command.ts';
import { registerPermissionsCommand } from './permissions.command.ts';
import { registerServeCommand } from './serve.command.ts';

const program = new Command()
  .name('safe-communities')
  .description('SAFE Communities: crime maps, a data.police.uk-compatible API and community safety tools.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Configuration comes from environment variables; see .env.example.
DATABASE_URL chooses the store: sqlite:./data/safe-communities.db (default) or postgres://…`,
  );

registerServeCommand(program);
registerImportCommand(program);
registerImportPostcodesCommand(program);
registerFetchCommand(program);
registerDemoCommand(program);
registerAuditCommand(program);
registerPermissionsCommand(program);
registerCreateAdminCommand(program);

await program.parseAsync(process.argv);
