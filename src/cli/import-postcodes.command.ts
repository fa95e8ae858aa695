/**
 * `safe-communities import-postcodes FILE`: loads a postcode directory so that
 * residents can find their neighbourhood by postcode.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { importPostcodeFile, type PostcodeImportReport } from '../places/postcode-import.service.ts';
import { withStore } from './context.ts';

/** Rejected rows printed one by one; the rest are counted. */
const LISTED = 20;

const HELP = `
Reads either of:
  - the ONS Postcode Directory (ONSPD) CSV, e.g. ONSPD_NOV_2025_UK.csv or one of
    its per-area files: columns pcds, lat, long, doterm (and oslaua or ladNNcd);
  - any CSV with a header naming postcode, latitude and longitude columns, such
    as OS Code-Point Open once converted from eastings/northings to WGS84.
    Code-Point Open as published (no header, eastings and northings) is refused
    with a message: convert it first, or use the ONSPD.

The whole file is one transaction: a file that cannot be read to its end leaves
the store as it was. Each postcode in the file replaces what the store had for
it, so importing the same file twice changes nothing; terminated postcodes
(doterm set) and postcodes without coordinates (ONSPD writes 99.999999 for the
latitude) are skipped and removed from the store; bad rows are skipped and
listed with their line numbers. Postcodes the file does not mention are kept,
so per-area files can be imported one after another.
Exit code 0 when the file was imported, 1 otherwise.

Examples:
  safe-communities import-postcodes ONSPD_NOV_2025_UK.csv
  safe-communities import-postcodes ./ONSPD/Data/multi_csv/ONSPD_NOV_2025_UK_SO.csv
  safe-communities import-postcodes postcodes-with-lat-lng.csv
  DATABASE_URL=postgres://localhost/safe safe-communities import-postcodes ONSPD_NOV_2025_UK.csv`;

/** Adds the `import-postcodes` command to the program. */
export function registerImportPostcodesCommand(program: Command): void {
  program
    .command('import-postcodes')
    .description('import postcodes and their coordinates (ONS Postcode Directory CSV) for postcode search')
    .argument('<file>', 'a CSV file: the ONSPD, or postcode, latitude and longitude columns')
    .addHelpText('after', HELP)
    .action(async (file: string) => {
      if (!existsSync(file)) {
        console.error(`error: there is no file ${file}`);
        process.exitCode = 1;
        return;
      }
      const started = performance.now();
      const report = await withStore((store) =>
        importPostcodeFile(store, file, { onProgress: (rows) => console.log(`  ${rows.toLocaleString('en-GB')} rows read`) }),
      );
      printReport(report, (performance.now() - started) / 1000);
      process.exitCode = report.status === 'imported' ? 0 : 1;
    });
}

function printReport(report: PostcodeImportReport, seconds: number): void {
  if (report.status !== 'imported') {
    console.error(`${report.status}: ${report.error ?? report.file}`);
    return;
  }
  const format = report.format === 'onspd' ? 'ONS Postcode Directory' : 'postcode, latitude and longitude columns';
  const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
  console.log(
    `Imported ${report.file} (${format}) in ${seconds.toFixed(1)} s: ${count(report.stored, 'postcode', 'postcodes')} stored; ` +
      `skipped ${report.terminated.toLocaleString('en-GB')} terminated, ${report.withoutCoordinates.toLocaleString('en-GB')} without coordinates, ` +
      `${count(report.rejected, 'bad row', 'bad rows')}.`,
  );
  if (report.rejected === 0) return;
  console.log('Bad rows:');
  for (const r of report.rejections.slice(0, LISTED)) console.log(`  ${report.file}:${r.line}: ${r.reason}`);
  const more = report.rejected - Math.min(report.rejections.length, LISTED);
  if (more > 0) console.log(`  and ${more} more`);
}
