/**
 * UK postcodes as people type them and as the ONS directory prints them. The
 * stored form is Royal Mail's: upper case, one space before the inward code
 * (`SO23 8UA`), so a lookup is one equality on the primary key.
 *
 * The patterns check the shape only (letters and digits in the right places),
 * not Royal Mail's finer rules on which letters may appear where: a rule too
 * strict would turn away a real postcode, and the directory is what decides
 * whether one exists.
 */

/** Outward code: area (1–2 letters), district (a digit, then a digit or letter). */
const OUTWARD = '[A-Z]{1,2}[0-9][A-Z0-9]?';
/** Inward code: sector digit and two unit letters. */
const INWARD = '[0-9][A-Z]{2}';

const FULL = new RegExp(`^(${OUTWARD})(${INWARD})$`);
const OUTWARD_ONLY = new RegExp(`^${OUTWARD}$`);
const SECTOR = new RegExp(`^(${OUTWARD}) ?([0-9])$`);
/** The one postcode outside the pattern: Girobank's, still in the directory. */
const GIROBANK = 'GIR0AA';

/** Letters and digits only, upper case: the form every check below works on. */
function compact(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/**
 * The postcode in its stored form, or undefined when the text is not shaped
 * like a full postcode.
 * @example normalisePostcode(' so238ua ') === 'SO23 8UA'
 */
export function normalisePostcode(text: string): string | undefined {
  const c = compact(text);
  if (c === GIROBANK) return 'GIR 0AA';
  const m = FULL.exec(c);
  return m ? `${m[1]!} ${m[2]!}` : undefined;
}

/** The outward code of a normalised postcode: `SO23 8UA` → `SO23`. */
export function outwardCode(postcode: string): string {
  return postcode.slice(0, postcode.indexOf(' '));
}

/** A postcode district (`DM1`) or sector (`DM1 2`), typed on its own. */
export interface PartialPostcode {
  outward: string;
  /** The sector digit when one was given. */
  sector?: string;
}

/**
 * Reads a district (`dm1`) or sector (`DM1 2`) typed without the rest of the
 * postcode; undefined for anything else. A sector needs its space (or no space
 * at all after a letter-ended district), because `DM12` is itself a district.
 */
export function parsePartialPostcode(text: string): PartialPostcode | undefined {
  const t = text.trim().replace(/\s+/g, ' ').toUpperCase();
  if (OUTWARD_ONLY.test(t)) return { outward: t };
  if (!t.includes(' ')) return undefined;
  const m = SECTOR.exec(t);
  return m ? { outward: m[1]!, sector: m[2]! } : undefined;
}

/**
 * Whether text a person typed was probably meant as a postcode: short, letters
 * and digits only, with both. Used to answer a mistyped postcode with what a
 * postcode looks like rather than "no neighbourhood has that name".
 */
export function looksLikePostcodeAttempt(text: string): boolean {
  const c = compact(text);
  return c.length >= 2 && c.length <= 9 && /^[A-Z0-9]+$/.test(c) && /[0-9]/.test(c) && /[A-Z]/.test(c);
}
