/**
 * `safe-communities fetch`: copies forces and neighbourhoods from data.police.uk
 * (or any API that answers like it) into the store.
 */
import type { Command } from 'commander';
import { DEFAULT_API, parseFetchOptions } from '../fetch/fetch.schema.ts';
import { FetchError, fetchFromApi, formatSummary } from '../fetch/fetch.service.ts';
import { withStore } from './context.ts';

const EXAMPLES = `
Examples:
  safe-communities fetch                                  every force data.police.uk lists
  safe-communities fetch --force hampshire                one force
  safe-communities fetch --force hampshire,leicestershire --force northern-ireland
  safe-communities fetch --api http://localhost:3000/api --rate 5
  DATABASE_URL=postgres://localhost/safe safe-communities fetch --force metropolitan

Fetches each force's details and senior officers, its neighbourhoods, and each
neighbourhood's details, boundary, team, priorities and upcoming events. Requests
are paced at --rate per second and retried with backoff on 429, 5xx and network
errors. Running it again refreshes the data; neighbourhoods the API no longer
lists are removed.`;

/** Adds the `fetch` command to the program. */
export function registerFetchCommand(program: Command): void {
  program
    .command('fetch')
    .description('fetch forces and neighbourhoods (boundaries, teams, priorities, events) from a data.police.uk-compatible API')
    .option('--api <url>', 'base URL of the API', DEFAULT_API)
    .option('--force <ids>', 'force id to fetch; repeat it or give a comma list (default: every force the API lists)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--rate <n>', 'requests per second, at most 15', '10')
    .addHelpText('after', EXAMPLES)
    .action(async (raw: unknown) => {
      const options = parseFetchOptions(raw);
      if (!options.ok) {
        console.error(options.message);
        process.exitCode = 2;
        return;
      }
      const { api, force, rate } = options.value;
      const started = performance.now();
      try {
        const summary = await withStore((store) => fetchFromApi(store.db, { api, forces: force, rate, log: (line) => console.log(line) }));
        console.log(formatSummary(summary, performance.now() - started));
        if (summary.failures.length > 0) process.exitCode = 1;
      } catch (error) {
        if (error instanceof FetchError) {
          console.error(error.message);
          process.exitCode = 1;
          return;
        }
        throw error;
      }
    });
}
