/**
 * Crimes per month by category as one table, the single source for the HTML
 * table, the chart (which reads that table) and the CSV download, so the three
 * can never disagree. Months the force did not publish are gaps, not zeros.
 */
import { addMonths } from '../api/data-release.ts';
import type { MonthCategoryCount } from './crime-counts.repository.ts';
import { categoryName, monthLabel, sortCategories } from './crime-summary.presenter.ts';

/** How many months the trends cover, ending with the latest published month. */
export const TREND_MONTHS = 24;

/** One month of the trends table. */
export interface TrendRow {
  month: string;
  label: string;
  published: boolean;
  /** Counts in `categories` order; null when the month was not published. */
  counts: Array<number | null>;
  total: number | null;
}

/** The trends table: category columns and one row per month. */
export interface TrendTable {
  first: string;
  last: string;
  categories: Array<{ slug: string; name: string }>;
  /** Oldest first, as a chart reads left to right. */
  rows: TrendRow[];
  unpublished: string[];
}

/** The months from `last` back over `count` months, oldest first. */
export function trendMonths(last: string, count = TREND_MONTHS): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}

/** Builds the table for `months` from grouped counts; unpublished months get no counts. */
export function presentTrends(months: readonly string[], counts: readonly MonthCategoryCount[], published: ReadonlySet<string>): TrendTable {
  const slugs = sortCategories(counts.map((c) => c.category));
  const byKey = new Map(counts.map((c) => [`${c.month}|${c.category}`, c.count]));
  const rows = months.map((month): TrendRow => {
    const isPublished = published.has(month);
    const cells = slugs.map((slug) => (isPublished ? (byKey.get(`${month}|${slug}`) ?? 0) : null));
    return {
      month,
      label: monthLabel(month),
      published: isPublished,
      counts: cells,
      total: isPublished ? cells.reduce<number>((sum, n) => sum + (n ?? 0), 0) : null,
    };
  });
  return {
    first: months[0] ?? '',
    last: months[months.length - 1] ?? '',
    categories: slugs.map((slug) => ({ slug, name: categoryName(slug) })),
    rows,
    unpublished: rows.filter((r) => !r.published).map((r) => r.label),
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; formula-leading text is defused for spreadsheets. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The table as CSV: a header row of `Month`, each category's name and `Total`,
 * then one row per month; an unpublished month has empty counts and says so.
 */
export function trendsCsv(table: TrendTable): string {
  const header = ['Month', ...table.categories.map((c) => c.name), 'Total', 'Published'];
  const lines = [header.map(csvField).join(',')];
  for (const row of table.rows) {
    lines.push([row.month, ...row.counts, row.total, row.published ? 'yes' : 'not published'].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
