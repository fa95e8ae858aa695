/**
 * The translation catalogue: every string of the "Spot the signs" page shell, by
 * key, so that Welsh (and any other language) can follow by adding a catalogue
 * rather than editing templates. Templates call `t('key')`, or `t('key', { name })`
 * for a string with `{name}` placeholders; every page gets `t` for its locale
 * (src/site/views.ts). A key missing from a catalogue falls back to English, and a
 * key missing from English prints the key itself (a test keeps that from shipping:
 * src/signs/signs-catalogue.test.ts).
 *
 * Only the signs pages use it so far; other pages move to it as they are translated.
 */

export const LOCALES = ['en', 'cy'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export type Catalogue = Readonly<Record<string, string>>;

const en: Catalogue = {
  // The list of guides.
  'signs.nav': 'Spot the signs',
  // The link on every neighbourhood page.
  'signs.neighbourhoodLink': 'Spot the signs of exploitation, fraud and other hidden crime',
  'signs.index.title': 'Spot the signs',
  'signs.index.lead':
    'Some crimes are hidden: the people harmed by them may be afraid, controlled or unaware that what is happening to them is a crime. These guides explain what to look out for, what to do, and who to tell.',
  'signs.index.guidesHeading': 'Guides',
  'signs.index.none': 'There are no guides yet.',
  'signs.index.dangerHeading': 'If someone is in danger now',
  'signs.index.danger': 'Call 999. Do not wait to be sure, and do not put yourself at risk.',
  'signs.index.notSureHeading': 'If you are not sure',
  'signs.index.notSure':
    'You do not need proof to pass on a concern. Tell someone what you saw or heard and let them decide what to do with it.',

  // A guide page.
  'signs.breadcrumb.home': 'Home',
  'signs.guide.updated': 'Last updated {date}',
  'signs.guide.contents': 'Other guides',

  // The routing panel, "Who to tell".
  'signs.panel.title': 'Who to tell',
  'signs.panel.danger.heading': 'If someone is in danger now',
  'signs.panel.danger.call': 'Call {number} and ask for the police.',
  'signs.panel.danger.textRelay':
    'If you are deaf, hard of hearing or cannot speak clearly, use text relay: call {number} from a textphone or the Relay UK app.',
  'signs.panel.danger.bsl': 'If you use British Sign Language, use the {name} video relay service.',
  'signs.panel.danger.bslLink': 'Go to {name}',
  'signs.panel.danger.silent':
    'If you call {emergency} from a mobile and cannot talk, listen to the operator and press {code} when asked: they will know you need help.',
  'signs.panel.topic.heading': 'Who else can help',
  'signs.panel.anonymous.heading': 'If you want to stay completely anonymous',
  'signs.panel.else.heading': 'For anything else',
  'signs.panel.else.team': 'Find your neighbourhood team',
  'signs.panel.call': 'Call {number}',
  'signs.panel.website': '{name} website',

  'signs.route.emergency.when': 'For a crime happening now or someone in danger.',
  'signs.route.childrens_services.when':
    'If a child or young person may be at risk, tell the children’s services team of the council where they live. They work with the police and schools.',
  'signs.route.childrens_services.link': 'Find the children’s services team for where the child lives',
  'signs.route.ceop.when':
    'If a child or young person is being pressured, groomed or blackmailed online, report it to CEOP. Young people can report for themselves.',
  'signs.route.childline.when': 'If you are under 19, you can talk to Childline in confidence about anything, at any time.',
  'signs.route.report_fraud.when':
    'To report fraud, a scam or cyber crime, including a business under cyber attack right now, contact Report Fraud, the national service run by the police.',
  'signs.route.phishing.when':
    'Forward scam texts to {text} for free, and scam emails to {email}. If you think your bank account is at risk, call your bank on {bank}.',
  'signs.route.phishing.textLabel': 'Forward scam texts to {number}',
  'signs.route.modern_slavery_helpline.when':
    'For advice or to report a concern about modern slavery or exploitation, call the helpline at any time. It is free and confidential, and advisers can use interpreters.',
  'signs.route.btp_text.when': 'If you see something on a train or at a station, text British Transport Police.',
  'signs.route.btp_text.textLabel': 'Text {number}',
  'signs.route.crimestoppers.when':
    'Crimestoppers is an independent charity. It never asks your name and cannot trace your call or online form. It passes on what you tell it, not who you are.',
  'signs.route.non_emergency.when': 'Call {number}, the police non-emergency number, or contact your neighbourhood policing team.',

  // GOV.UK's Exit this page component.
  'signs.exit.text': 'Exit this page',
  'signs.exit.activated': 'Loading.',
  'signs.exit.timedOut': 'Exit this page expired.',
  'signs.exit.pressTwoMore': 'Shift, press 2 more times to exit.',
  'signs.exit.pressOneMore': 'Shift, press 1 more time to exit.',
  'signs.exit.hint': 'To leave this page quickly, press the Shift key 3 times or use the Exit this page button.',
};

/** Welsh: to be written by a Welsh speaker; until then every key falls back to English. */
const cy: Catalogue = {};

export const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { en, cy };

export type TranslateParams = Readonly<Record<string, string | number>>;

/** The string for `key` in `locale`, English when the locale lacks it, the key itself when English does too. */
export function translate(locale: Locale, key: string, params: TranslateParams = {}): string {
  const text = CATALOGUES[locale][key] ?? en[key] ?? key;
  return text.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** `t` for templates, bound to a locale. */
export function translator(locale: Locale = DEFAULT_LOCALE): (key: string, params?: TranslateParams) => string {
  return (key, params) => translate(locale, key, params ?? {});
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
