import type { Command } from 'commander';
import { anyPublication } from '../api/data-release.repository.ts';
import { buildApp } from '../app.ts';
import { buildDemo } from '../demo/demo.service.ts';
import { openStore } from '../store/store.ts';
import { configOrExit } from './context.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the site and the API (what npm start runs); builds the demo data set first if the store is empty')
    .addHelpText('after', '\nExamples:\n  safe-communities serve\n  PORT=8080 DATABASE_URL=postgres://localhost/safe safe-communities serve')
    .action(async () => {
      const config = configOrExit();
      const store = await openStore(config.DATABASE_URL);
      if (config.DEMO_ON_EMPTY_STORE) {
        if (!(await anyPublication(store.db))) {
          console.log('The store is empty: building the demo data set of the fictional force "demo" (set DEMO_ON_EMPTY_STORE=false to skip).');
          const summary = await buildDemo(store);
          console.log(`Demo data ready: ${summary.crimes} crimes, ${summary.neighbourhoods} neighbourhoods.`);
        }
      }
      const app = await buildApp(store, config);
      const stop = () => {
        app
          .close()
          .then(() => store.close())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              console.error('Could not shut down cleanly:', error);
              process.exit(1);
            },
          );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await app.listen({ port: config.PORT, host: config.HOST });
      // Say which interface, so a developer who cannot reach it from another device knows why.
      const where = config.HOST.startsWith('127.') || config.HOST === '::1' || config.HOST === 'localhost' ? 'this machine only; set HOST to change' : `listening on ${config.HOST}`;
      console.log(`SAFE Communities is serving on http://localhost:${config.PORT} (${where})`);
      // Load the latest month into memory now, so no visitor waits for it.
      const latest = await app.ctx.release.latestMonth();
      if (latest && app.ctx.monthIndex.enabled) await app.ctx.monthIndex.get(latest, await app.ctx.release.version());
    });
}
