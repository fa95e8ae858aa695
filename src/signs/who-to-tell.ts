/**
 * Who to tell: every service a guide's routing panel names, with its phone numbers
 * and web addresses, in one place so they are checked by one test and corrected in
 * one edit. What each entry is for (the sentence the panel prints) is in the
 * translation catalogue (src/site/i18n.ts) under `signs.route.<key>.*`; names of
 * services are proper nouns and stay here.
 */

export interface Service {
  /** Also the catalogue key: `signs.route.<key>.when` and `.how`. */
  key: RouteKey;
  name: string;
  /** Phone numbers, as people dial them; the first is the main one. */
  phones: readonly { number: string; labelKey?: string }[];
  /** The service's own page for this, if it has one. */
  url?: string;
  /** The link's words, when "{name} website" does not fit. */
  linkKey?: string;
}

export const ROUTE_KEYS = [
  'emergency',
  'childrens_services',
  'ceop',
  'childline',
  'report_fraud',
  'phishing',
  'modern_slavery_helpline',
  'btp_text',
  'crimestoppers',
  'non_emergency',
] as const;
export type RouteKey = (typeof ROUTE_KEYS)[number];

/** Emergency: 999, and the ways to reach it without speaking on a voice call. */
export const EMERGENCY = {
  number: '999',
  /** Text relay: dialled from a textphone or the Relay UK app. */
  textRelay: '18000',
  /** The 999 BSL video relay service. */
  bslName: '999 BSL',
  bslUrl: 'https://www.999bsl.co.uk',
  /** On a mobile, when asked to, pressing 55 tells the operator the caller cannot speak. */
  silentCode: '55',
} as const;

export const SERVICES: Record<RouteKey, Service> = {
  emergency: { key: 'emergency', name: 'Police', phones: [{ number: EMERGENCY.number }] },
  childrens_services: {
    key: 'childrens_services',
    name: 'Children’s services',
    phones: [],
    url: 'https://www.gov.uk/report-child-abuse-to-local-council',
    linkKey: 'signs.route.childrens_services.link',
  },
  ceop: {
    key: 'ceop',
    name: 'CEOP (Child Exploitation and Online Protection)',
    phones: [],
    url: 'https://www.ceop.police.uk/Safety-Centre/',
  },
  childline: { key: 'childline', name: 'Childline', phones: [{ number: '0800 1111' }], url: 'https://www.childline.org.uk' },
  report_fraud: {
    key: 'report_fraud',
    name: 'Report Fraud',
    phones: [{ number: '0300 123 2040' }],
    url: 'https://www.reportfraud.police.uk',
  },
  phishing: { key: 'phishing', name: 'Suspicious messages', phones: [{ number: '7726', labelKey: 'signs.route.phishing.textLabel' }] },
  modern_slavery_helpline: {
    key: 'modern_slavery_helpline',
    name: 'Modern Slavery and Exploitation Helpline',
    phones: [{ number: '08000 121 700' }],
    url: 'https://www.modernslaveryhelpline.org',
  },
  btp_text: {
    key: 'btp_text',
    name: 'British Transport Police',
    phones: [{ number: '61016', labelKey: 'signs.route.btp_text.textLabel' }],
  },
  crimestoppers: { key: 'crimestoppers', name: 'Crimestoppers', phones: [{ number: '0800 555 111' }], url: 'https://crimestoppers-uk.org' },
  non_emergency: { key: 'non_emergency', name: 'Your local police', phones: [{ number: '101' }] },
};

/** Numbers and addresses the catalogue's `signs.route.<key>.when` sentences name, as `{placeholders}`. */
export const ROUTE_TEXT_PARAMS: Partial<Record<RouteKey, Readonly<Record<string, string>>>> = {
  // Scam texts forwarded free to 7726; scam emails to the National Cyber Security Centre; 159 reaches most UK banks.
  phishing: { text: '7726', email: 'report@phishing.gov.uk', bank: '159' },
  non_emergency: { number: '101' },
};

/**
 * Each default guide's own routes, printed between 999 and the routes every guide
 * ends with (Crimestoppers for total anonymity, then 101 or the neighbourhood team).
 * A guide not listed here gets only those.
 */
export const GUIDE_ROUTES: Readonly<Record<string, readonly RouteKey[]>> = {
  'modern-slavery': ['modern_slavery_helpline'],
  'child-exploitation': ['childrens_services', 'ceop', 'childline'],
  'county-lines': ['childrens_services', 'btp_text'],
  'fraud-and-scams': ['report_fraud', 'phishing'],
  'cyber-crime': ['report_fraud', 'ceop'],
};

/** Routes every guide ends with. */
export const CLOSING_ROUTES: readonly RouteKey[] = ['crimestoppers', 'non_emergency'];

/** The topic routes for a guide, in order. */
export function routesFor(slug: string): Service[] {
  return (GUIDE_ROUTES[slug] ?? []).map((key) => SERVICES[key]);
}
