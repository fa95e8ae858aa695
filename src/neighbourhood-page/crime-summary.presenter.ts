/**
 * Shapes crime counts for people: the latest month's counts by category with
 * the change since the month before and since the same month a year earlier.
 * A month the force did not publish is "no data", never a count of 0.
 */
import { addMonths } from '../api/data-release.ts';
import { CRIME_CATEGORIES } from '../crime/categories.ts';
import type { MonthCategoryCount } from './crime-counts.repository.ts';

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-09` → `September 2026`. */
export function monthLabel(month: string): string {
  const [y = NaN, m = NaN] = month.split('-').map(Number);
  return monthFormat.format(new Date(Date.UTC(y, m - 1, 1)));
}

const CATEGORY_ORDER = new Map<string, number>(CRIME_CATEGORIES.map((c, i) => [c.url, i]));
const CATEGORY_NAMES = new Map<string, string>(CRIME_CATEGORIES.map((c) => [c.url, c.name]));

/** Display name of a category slug; an unknown slug (an old archive's) is spelt out from itself. */
export function categoryName(slug: string): string {
  const name = CATEGORY_NAMES.get(slug);
  if (name) return name;
  const words = slug.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Categories in upstream's order, unknown ones last by slug. */
export function sortCategories(slugs: Iterable<string>): string[] {
  const order = (s: string) => CATEGORY_ORDER.get(s) ?? Number.MAX_SAFE_INTEGER;
  return [...new Set(slugs)].sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/** The change from `before` to `now` in words; null `before` means that month was not published. */
export function changeText(now: number, before: number | null): string {
  if (before === null) return 'No data';
  const diff = now - before;
  if (diff === 0) return `No change from ${before}`;
  return `${diff > 0 ? 'Up' : 'Down'} ${Math.abs(diff)} from ${before}`;
}

/** One category's line in the latest-month summary. */
export interface SummaryRow {
  slug: string;
  name: string;
  count: number;
  previous: number | null;
  lastYear: number | null;
  changeSincePrevious: string;
  changeSinceLastYear: string;
  mapHref: string;
}

/** The latest month's counts with their comparisons; `total` is the All crime line. */
export interface CrimeSummary {
  month: string;
  monthLabel: string;
  previousMonthLabel: string;
  lastYearLabel: string;
  previousPublished: boolean;
  lastYearPublished: boolean;
  rows: SummaryRow[];
  total: SummaryRow;
}

/** Where the crime map shows this month and category for the neighbourhood. */
export function mapHref(month: string, category: string, neighbourhoodKey: string): string {
  return `/map?${new URLSearchParams({ month, category, neighbourhood: neighbourhoodKey })}`;
}

/**
 * The summary for `month` from counts covering it, the month before and the
 * month a year earlier; `published` says which months the force published.
 */
export function presentCrimeSummary(
  month: string,
  counts: readonly MonthCategoryCount[],
  published: ReadonlySet<string>,
  neighbourhoodKey: string,
): CrimeSummary {
  const previousMonth = addMonths(month, -1);
  const lastYearMonth = addMonths(month, -12);
  const byKey = new Map(counts.map((c) => [`${c.month}|${c.category}`, c.count]));
  const countOf = (m: string, slug: string): number | null => (published.has(m) ? (byKey.get(`${m}|${slug}`) ?? 0) : null);
  const totalOf = (m: string): number | null =>
    published.has(m) ? counts.filter((c) => c.month === m).reduce((sum, c) => sum + c.count, 0) : null;

  const row = (slug: string, name: string, count: number, previous: number | null, lastYear: number | null): SummaryRow => ({
    slug,
    name,
    count,
    previous,
    lastYear,
    changeSincePrevious: changeText(count, previous),
    changeSinceLastYear: changeText(count, lastYear),
    mapHref: mapHref(month, slug, neighbourhoodKey),
  });

  const rows = sortCategories(counts.map((c) => c.category)).map((slug) =>
    row(slug, categoryName(slug), countOf(month, slug) ?? 0, countOf(previousMonth, slug), countOf(lastYearMonth, slug)),
  );
  return {
    month,
    monthLabel: monthLabel(month),
    previousMonthLabel: monthLabel(previousMonth),
    lastYearLabel: monthLabel(lastYearMonth),
    previousPublished: published.has(previousMonth),
    lastYearPublished: published.has(lastYearMonth),
    rows,
    total: row('all-crime', 'All crime', totalOf(month) ?? 0, totalOf(previousMonth), totalOf(lastYearMonth)),
  };
}
