import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { FileReport } from '../import/csv-file.service.ts';
import { importSources, type ImportListener, type ImportReport } from '../import/import.service.ts';
import { withStore } from './context.ts';

/** Rejected rows listed in the final report per file; the rest are counted. */
const LISTED_PER_FILE = 10;

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('import data.police.uk CSV files (street, outcomes, stop-and-search) from zips, folders, files or URLs')
    .argument('<path-or-url...>', 'archive zips, folders, CSV files or http(s) URLs of either')
    .addHelpText(
      'after',
      `
Each file is one transaction: re-importing a force's month replaces it, and bad
rows are skipped and listed by line. A file that cannot be read to its end, has
no good row, or has a larger share of bad rows than IMPORT_MAX_REJECTED_SHARE
(default 0.01, 1%) replaces nothing: its month stays as it was. Exit code 0 when
every file was imported, 1 otherwise, with each file that was not and why.

Examples:
  safe-communities import 2025-01.zip
  safe-communities import ./police-data/
  safe-communities import 2025-01-hampshire-street.csv 2025-01-hampshire-outcomes.csv
  safe-communities import https://data.police.uk/data/archive/2025-01.zip
  DATABASE_URL=postgres://localhost/safe safe-communities import 2025-street.zip`,
    )
    .action(async (inputs: string[]) => {
      const display = process.stdout.isTTY ? progressBars() : { listener: plainLines(), stop: () => undefined };
      let report: ImportReport;
      try {
        report = await withStore((store, config) =>
          importSources(store, inputs, display.listener, { maxRejectedShare: config.IMPORT_MAX_REJECTED_SHARE }));
      } finally {
        display.stop();
      }
      printReport(report);
      const ok = report.sourceErrors.length === 0 && report.files.every((f) => f.status === 'imported');
      process.exitCode = ok ? 0 : 1;
    });
}

function plainLines(): ImportListener {
  return { onFileDone: (file) => console.log(fileLine(file)) };
}

function progressBars(): { listener: ImportListener; stop(): void } {
  const bars = new cliProgress.MultiBar(
    { format: ' {bar} {percentage}% | {file}', hideCursor: true, clearOnComplete: true, stopOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  // The next file starts reading while the last one is still being written.
  const open = new Map<string, { bar: cliProgress.SingleBar; size: number }>();
  const readEarly = new Map<string, number>();
  const listener: ImportListener = {
    onFileStart(name, bytes) {
      const size = Math.max(bytes, 1);
      const read = Math.min(readEarly.get(name) ?? 0, size);
      readEarly.delete(name);
      open.set(name, { bar: bars.create(size, read, { file: shortName(name) }), size });
    },
    onBytes(bytes, name) {
      const entry = open.get(name);
      if (entry) entry.bar.update(Math.min(bytes, entry.size));
      else readEarly.set(name, bytes);
    },
    onFileDone(file) {
      const entry = open.get(file.file);
      open.delete(file.file);
      // Finished files scroll away as lines above the bars still running.
      if (entry) bars.remove(entry.bar);
      bars.log(`${fileLine(file)}\n`);
    },
  };
  return {
    listener,
    stop() {
      bars.update(); // writes out the lines logged since the last redraw
      bars.stop();
    },
  };
}

function shortName(name: string): string {
  return name.split(/[/:\\]/).pop() ?? name;
}

function fileLine(file: FileReport): string {
  const name = shortName(file.file);
  if (file.status === 'imported') return `imported ${name}: ${file.rows} rows, ${file.rejected} rejected`;
  // The error names the file already.
  return `${file.status}: ${file.error ?? name}${file.code ? ` [${file.code}]` : ''}`;
}

function printReport(report: ImportReport): void {
  const count = (status: FileReport['status']) => report.files.filter((f) => f.status === status).length;
  console.log('');
  console.log(
    `Files: ${count('imported')} imported, ${count('rejected')} rejected, ${count('failed')} failed. ` +
      `Rows: ${report.rowsImported} imported, ${report.rowsRejected} rejected.`,
  );
  for (const file of report.files) {
    if (file.status !== 'imported') console.log(fileLine(file));
    if (file.rejected === 0) continue;
    console.log(`Rejected rows in ${file.file}:`);
    for (const r of file.rejections.slice(0, LISTED_PER_FILE)) console.log(`  ${file.file}:${r.line}: ${r.reason}`);
    const more = file.rejected - Math.min(file.rejections.length, LISTED_PER_FILE);
    if (more > 0) console.log(`  and ${more} more`);
  }
  for (const error of report.sourceErrors) console.log(`Could not read: ${error}`);
}
