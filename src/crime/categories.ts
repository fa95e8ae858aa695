/**
 * Crime and outcome vocabularies as data.police.uk publishes them: the API's
 * slug or code beside the display name the CSV files carry.
 */

/** In the order /crime-categories answers upstream. */
export const CRIME_CATEGORIES = [
  { url: 'all-crime', name: 'All crime' },
  { url: 'anti-social-behaviour', name: 'Anti-social behaviour' },
  { url: 'bicycle-theft', name: 'Bicycle theft' },
  { url: 'burglary', name: 'Burglary' },
  { url: 'criminal-damage-arson', name: 'Criminal damage and arson' },
  { url: 'drugs', name: 'Drugs' },
  { url: 'other-theft', name: 'Other theft' },
  { url: 'possession-of-weapons', name: 'Possession of weapons' },
  { url: 'public-order', name: 'Public order' },
  { url: 'robbery', name: 'Robbery' },
  { url: 'shoplifting', name: 'Shoplifting' },
  { url: 'theft-from-the-person', name: 'Theft from the person' },
  { url: 'vehicle-crime', name: 'Vehicle crime' },
  { url: 'violent-crime', name: 'Violence and sexual offences' },
  { url: 'other-crime', name: 'Other crime' },
] as const;

/** Labels used before June 2013, still found in old archives. */
const LEGACY_CRIME_TYPES: Record<string, string> = {
  'Violent crime': 'violent-crime',
  'Public disorder and weapons': 'public-disorder-weapons',
};

const categoryByName = new Map<string, string>([
  ...CRIME_CATEGORIES.filter((c) => c.url !== 'all-crime').map((c) => [c.name.toLowerCase(), c.url] as const),
  ...Object.entries(LEGACY_CRIME_TYPES).map(([name, url]) => [name.toLowerCase(), url] as const),
]);

const knownSlugs = new Set<string>([...CRIME_CATEGORIES.map((c) => c.url), 'public-disorder-weapons']);

/** CSV `Crime type` → API slug, or undefined when the name is not one we know. */
export function crimeCategorySlug(crimeType: string): string | undefined {
  return categoryByName.get(crimeType.trim().toLowerCase());
}

export function isCrimeCategory(slug: string): boolean {
  return knownSlugs.has(slug);
}

export const ANTI_SOCIAL_BEHAVIOUR = 'anti-social-behaviour';

interface OutcomeCategory {
  code: string;
  /** The name the API gives in outcome objects. */
  name: string;
  /** Where the crime side (CSV `Last outcome category`, `outcome_status`) spells it differently. */
  crimeName?: string;
}

export const OUTCOME_CATEGORIES: readonly OutcomeCategory[] = [
  { code: 'awaiting-court-result', name: 'Awaiting court outcome' },
  { code: 'court-result-unavailable', name: 'Court result unavailable' },
  { code: 'unable-to-proceed', name: 'Court case unable to proceed' },
  { code: 'local-resolution', name: 'Local resolution' },
  { code: 'no-further-action', name: 'Investigation complete; no suspect identified' },
  { code: 'deprived-of-property', name: 'Offender deprived of property' },
  { code: 'fined', name: 'Offender fined' },
  { code: 'absolute-discharge', name: 'Offender given absolute discharge' },
  { code: 'cautioned', name: 'Offender given a caution' },
  { code: 'drugs-possession-warning', name: 'Offender given a drugs possession warning' },
  { code: 'penalty-notice-issued', name: 'Offender given a penalty notice', crimeName: 'Offender given penalty notice' },
  { code: 'community-penalty', name: 'Offender given community sentence' },
  { code: 'conditional-discharge', name: 'Offender given conditional discharge' },
  { code: 'suspended-sentence', name: 'Offender given suspended prison sentence' },
  { code: 'imprisoned', name: 'Offender sent to prison' },
  { code: 'other-court-disposal', name: 'Offender otherwise dealt with' },
  { code: 'compensation', name: 'Offender ordered to pay compensation' },
  { code: 'sentenced-in-another-case', name: 'Suspect charged as part of another case' },
  { code: 'charged', name: 'Suspect charged' },
  { code: 'not-guilty', name: 'Defendant found not guilty' },
  { code: 'sent-to-crown-court', name: 'Defendant sent to Crown Court' },
  { code: 'unable-to-prosecute', name: 'Unable to prosecute suspect' },
  { code: 'formal-action-not-in-public-interest', name: 'Formal action is not in the public interest' },
  { code: 'action-taken-by-another-organisation', name: 'Action to be taken by another organisation' },
  { code: 'further-investigation-not-in-public-interest', name: 'Further investigation is not in the public interest' },
  { code: 'further-action-not-in-public-interest', name: 'Further action is not in the public interest' },
  { code: 'under-investigation', name: 'Under investigation' },
  { code: 'status-update-unavailable', name: 'Status update unavailable' },
];

const outcomeByCode = new Map(OUTCOME_CATEGORIES.map((o) => [o.code, o]));
const outcomeCodeByName = new Map<string, string>();
for (const o of OUTCOME_CATEGORIES) {
  outcomeCodeByName.set(o.name.toLowerCase(), o.code);
  if (o.crimeName) outcomeCodeByName.set(o.crimeName.toLowerCase(), o.code);
}
// Names seen in older files and interfaces for the same outcomes.
outcomeCodeByName.set('no further action at this time', 'no-further-action');
outcomeCodeByName.set('offender given drugs possession warning', 'drugs-possession-warning');

/**
 * CSV outcome name → API code. A name we have never seen gets a code made from
 * the name itself, so a new category published upstream is kept, not lost.
 */
export function outcomeCode(name: string): string {
  const trimmed = name.trim();
  return outcomeCodeByName.get(trimmed.toLowerCase()) ?? slugify(trimmed);
}

export function isKnownOutcomeName(name: string): boolean {
  return outcomeCodeByName.has(name.trim().toLowerCase());
}

/** API code → name used in outcome objects (`outcomes-for-crime`, `outcomes-at-location`). */
export function outcomeName(code: string): string {
  return outcomeByCode.get(code)?.name ?? unslugify(code);
}

/** API code → name used in a crime's `outcome_status`. */
export function outcomeStatusName(code: string): string {
  const o = outcomeByCode.get(code);
  return o ? (o.crimeName ?? o.name) : unslugify(code);
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function unslugify(code: string): string {
  const words = code.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
