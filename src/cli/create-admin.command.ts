/**
 * `safe-communities create-admin EMAIL`: makes the first platform administrator
 * (there are no default accounts) or another one later, from the server itself.
 */
import type { Command } from 'commander';
import { CreateAdminError, createAdmin } from '../admin/create-admin.service.ts';
import { withStore } from './context.ts';

const EXAMPLES = `
Examples:
  safe-communities create-admin sam.jones@example.org --name "Sam Jones"
  DATABASE_URL=postgres://localhost/safe safe-communities create-admin sam.jones@example.org

Makes sure the "platform" organisation exists and makes the person a platform
administrator, creating their account if the address is new. A new account has no
password: the command prints an invitation link (valid for 7 days, built from
PUBLIC_URL) and also emails it, and the person chooses a password and sets up
two-step sign-in when they open it. Running it again for someone who has not yet
accepted sends a new link; the old one stops working. Recorded in the audit log
as done from the command line.`;

export function registerCreateAdminCommand(program: Command): void {
  program
    .command('create-admin')
    .description('make someone a platform administrator (creating their account, and the platform organisation, if needed)')
    .argument('<email>', 'their email address')
    .option('--name <name>', 'their full name, for a new account (default "Platform administrator")')
    .addHelpText('after', EXAMPLES)
    .action(async (email: string, flags: { name?: string }) => {
      try {
        const result = await withStore((store, config) => createAdmin(store, config, { email, name: flags.name }));
        if (result.createdOrganisation) console.log('Created the "platform" organisation.');
        if (result.createdPerson) console.log(`Created an account for ${result.email}.`);
        console.log(result.granted ? `Made ${result.email} a platform administrator.` : `${result.email} was already a platform administrator.`);
        if (result.link !== null) {
          console.log(`They set up their account with this link (valid for 7 days; it has also been emailed to them):\n  ${result.link}`);
        } else if (result.granted) {
          console.log('They already have an account: they sign in as usual, and have been told by email.');
        }
      } catch (error) {
        if (!(error instanceof CreateAdminError)) throw error;
        console.error(`error: ${error.message}`);
        process.exitCode = error.exitCode;
      }
    });
}
