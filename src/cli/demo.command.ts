import { InvalidArgumentError, type Command } from 'commander';
import { DEMO_DEFAULTS, DEMO_LIMITS, DemoOptionError, buildDemo, resolveDemoOptions, type DemoOptions } from '../demo/demo.service.ts';
import { withStore } from './context.ts';

function monthOption(value: string): string {
  const month = value.trim();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new InvalidArgumentError('expected a month as YYYY-MM, for example 2026-09.');
  return month;
}

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const text = value.trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return n;
  };
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('build the demo data set: the fictional Demoshire Constabulary (force "demo") with neighbourhoods, crimes, outcomes and stop and search')
    .option('--end-month <YYYY-MM>', `last month of crime data (default ${DEMO_DEFAULTS.endMonth})`, monthOption)
    .option('--months <n>', `months of data ending with the end month, ${DEMO_LIMITS.minMonths}-${DEMO_LIMITS.maxMonths} (default ${DEMO_DEFAULTS.months})`, wholeNumber(DEMO_LIMITS.minMonths, DEMO_LIMITS.maxMonths))
    .option('--seed <n>', `random seed: the same seed gives the same crimes (default ${DEMO_DEFAULTS.seed})`, wholeNumber(0, DEMO_LIMITS.maxSeed))
    .addHelpText(
      'after',
      `
The demo is fictional and marked as such in the store and in API responses. It
replaces any earlier demo data, so running it again never duplicates anything,
and it leaves real forces' data alone. npm start builds it by itself when the
store is empty (unless DEMO_ON_EMPTY_STORE=false).

Examples:
  safe-communities demo
  safe-communities demo --end-month 2026-06 --months 36
  safe-communities demo --seed 42
  DATABASE_URL=postgres://localhost/safe safe-communities demo`,
    )
    .action(async (flags: { endMonth?: string; months?: number; seed?: number }) => {
      const wanted: DemoOptions = {};
      if (flags.endMonth !== undefined) wanted.endMonth = flags.endMonth;
      if (flags.months !== undefined) wanted.months = flags.months;
      if (flags.seed !== undefined) wanted.seed = flags.seed;
      let options: Required<DemoOptions>;
      try {
        options = resolveDemoOptions(wanted);
      } catch (error) {
        if (!(error instanceof DemoOptionError)) throw error;
        console.error(`error: ${error.message}`);
        process.exitCode = 2;
        return;
      }
      const started = performance.now();
      const summary = await withStore((store) => buildDemo(store, options));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        `Demo data built in ${seconds} s for force "demo" (Demoshire Constabulary), ${summary.firstMonth} to ${summary.lastMonth}, seed ${summary.seed}:\n` +
          `  ${summary.neighbourhoods} neighbourhoods, ${summary.snapPoints} snap points, ${summary.postcodes} demo postcodes\n` +
          `  ${summary.crimes} street crimes, ${summary.outcomes} outcomes, ${summary.stops} stops and searches`,
      );
    });
}
