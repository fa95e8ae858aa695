/** The importer's public face: what the CLI and the benchmark call. */
export { importSources, type ImportListener, type ImportOptions, type ImportReport } from './import.service.ts';
export { parseOnly } from './parse-only.ts';
export type { FileReport, Rejection } from './csv-file.service.ts';
