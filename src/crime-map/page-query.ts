/**
 * The query strings of the map pages. A page never answers a bad value with an
 * error page: it says what was wrong in a GOV.UK error summary and shows what
 * it can, so a mistyped bookmark still lands somewhere useful.
 */
import { CRIME_CATEGORIES } from '../crime/categories.ts';
import type { FieldError } from '../site/forms.ts';
import { requestValue } from '../site/request-values.ts';

export const CATEGORY_OPTIONS = CRIME_CATEGORIES.map((c) => ({ value: c.url, text: c.name }));
const categorySlugs = new Set<string>(CRIME_CATEGORIES.map((c) => c.url));
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** A single string parameter: repeated keys take the first, as browsers send one. */
export function one(query: unknown, key: string): string | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const value = requestValue(query, key);
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : undefined;
}

export interface Filters {
  /** null: the latest month. */
  month: string | null;
  /** null: all crime. */
  category: string | null;
}

/** Month and category, checked against the months that have data; what was wrong is added to `problems`. */
export function readFilters(query: unknown, months: readonly string[], problems: FieldError[]): Filters {
  const monthText = one(query, 'month');
  const categoryText = one(query, 'category');
  let month: string | null = null;
  if (monthText) {
    if (!MONTH.test(monthText)) problems.push({ field: 'month', text: 'Enter the month as year and month, for example 2026-09' });
    else if (!months.includes(monthText)) problems.push({ field: 'month', text: `There is no crime data for ${monthText}. Choose one of the months listed` });
    else month = monthText;
  }
  let category: string | null = null;
  if (categoryText && categoryText !== 'all-crime') {
    if (categorySlugs.has(categoryText)) category = categoryText;
    else problems.push({ field: 'category', text: 'Choose a type of crime from the list' });
  }
  return { month, category };
}

export interface MapView {
  lat: number;
  lng: number;
  zoom: number;
}

/** The map's centre and zoom from the URL, or undefined when absent or not numbers in range. */
export function readView(query: unknown): Partial<MapView> {
  const num = (key: string, limit: number) => {
    const text = one(query, key);
    if (text === undefined || !NUMBER.test(text)) return undefined;
    const value = Number(text);
    return Math.abs(value) <= limit ? value : undefined;
  };
  const zoom = num('zoom', 22);
  return { lat: num('lat', 85), lng: num('lng', 180), zoom: zoom !== undefined && zoom >= 0 ? zoom : undefined };
}

/** A query string from the non-empty values, for links that keep the page's state. */
export function queryString(values: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** "September 2026" from "2026-09". */
export function monthName(month: string): string {
  const [y = NaN, m = NaN] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function categoryName(slug: string | null): string {
  return CATEGORY_OPTIONS.find((c) => c.value === (slug ?? 'all-crime'))?.text ?? slug ?? 'All crime';
}
