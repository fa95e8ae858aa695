/**
 * Email bodies from Nunjucks templates in src/site/templates/mail/. Each template is
 * one file with a `subject` and a `body` block; the body is written once with the
 * macros in _macros.njk and rendered twice: as HTML (autoescaped) and as plain text
 * (not escaped: a name with an ampersand must read as one).
 *
 * What a caller passes is checked here, because much of it was typed by someone on
 * a form: control characters (CR, LF, …) become spaces, so a name cannot add lines
 * to a subject or forge the layout of a body, and account links must point at this
 * site (PUBLIC_URL); a path is made absolute from it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import { z } from 'zod';
import type { Config } from '../config.ts';

const here = dirname(fileURLToPath(import.meta.url));
const TEMPLATE_DIR = join(here, '../site/templates/mail');

/** What rendering needs from the configuration. */
export type MailConfig = Pick<Config, 'SITE_NAME' | 'SITE_ORGANISATION' | 'SITE_BRAND_COLOUR' | 'PUBLIC_URL'>;

const text = z.string().max(2000);
const name = z.string().max(200);
/** A link to this site: a path, or an absolute URL on PUBLIC_URL (checked in resolveLinks). */
const siteLink = z.string().min(1).max(4000);
/** Any web link (notices may point elsewhere, such as a council page): a path or http(s). */
const webLink = z.string().min(1).max(4000);

const schemas = {
  'verify-email': z.object({ name, link: siteLink }),
  'sign-up-existing-account': z.object({ name, signInLink: siteLink, recoverLink: siteLink }),
  'recover-account': z.object({ name, link: siteLink }),
  'recover-no-account': z.object({}),
  'account-locked': z.object({ name, minutes: z.number().int().positive(), recoverLink: siteLink }),
  invitation: z.object({ organisationName: text, roleName: text, inviterName: name, link: siteLink }),
  'password-changed': z.object({ name }),
  'two-factor-changed': z.object({ name }),
  'new-sign-in-code-failures': z.object({ name, count: z.number().int().positive() }),
  notice: z.object({
    name: name.optional(),
    heading: z.string().min(1).max(200),
    paragraphs: z.array(text).max(20),
    link: z.object({ text: z.string().min(1).max(200), href: webLink }).optional(),
  }),
} as const;

/** Every template and the data it needs. Links may be paths ('/verify?t=…') or absolute URLs. */
export type MailTemplates = { [K in keyof typeof schemas]: z.input<(typeof schemas)[K]> };
export type MailTemplateName = keyof MailTemplates;
export const MAIL_TEMPLATE_NAMES = Object.keys(schemas) as MailTemplateName[];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export class MailTemplateError extends Error {
  override name = 'MailTemplateError';
}

// Two environments over the same files: the HTML one escapes, the text one does not.
// throwOnUndefined catches a template that names a field nobody passes.
const loader = () => new nunjucks.FileSystemLoader(TEMPLATE_DIR, { noCache: false });
const htmlEnv = new nunjucks.Environment(loader(), { autoescape: true, throwOnUndefined: true });
const textEnv = new nunjucks.Environment(loader(), { autoescape: false, throwOnUndefined: true });
for (const env of [htmlEnv, textEnv]) {
  env.addFilter('plural', (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`);
}

/** Control characters (CR and LF among them) become one space, in every string however deep. */
function flatten(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  if (Array.isArray(value)) return value.map(flatten);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, flatten(v)]));
  return value;
}

/** Absolute http(s) URL for a path or URL; with `ownSite`, only URLs on PUBLIC_URL. */
function absoluteLink(config: MailConfig, href: string, ownSite: boolean): string {
  const site = new URL(config.PUBLIC_URL);
  if (href.startsWith('/') && !href.startsWith('//')) return new URL(href, site).href;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new MailTemplateError(`Link is neither a path nor an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MailTemplateError('Links must be http or https');
  if (ownSite && url.origin !== site.origin) throw new MailTemplateError('Account links must point at PUBLIC_URL');
  return url.href;
}

function resolveLinks(config: MailConfig, template: MailTemplateName, data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const key of ['link', 'signInLink', 'recoverLink']) {
    const value = out[key];
    if (typeof value === 'string') out[key] = absoluteLink(config, value, true);
  }
  if (template === 'notice' && typeof out.link === 'object' && out.link !== null) {
    const link = out.link as { text: string; href: string };
    out.link = { text: link.text, href: absoluteLink(config, link.href, false) };
  }
  return out;
}

/** One line, single-spaced, not too long for a mail client's list. */
function subjectLine(raw: string): string {
  const line = raw.replace(/\s+/g, ' ').trim();
  return line.length > 150 ? `${line.slice(0, 149)}…` : line;
}

/** Template indentation off, no more than one blank line in a row, one final newline. */
function tidyText(raw: string): string {
  const lines = raw.split('\n').map((line) => line.trim());
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/**
 * Renders a template to a subject (one line), a plain-text body and an HTML body.
 * @throws ZodError when the data does not fit the template; MailTemplateError for a bad link.
 * @example renderMail(config, 'verify-email', { name: 'Sam', link: `/verify-email?token=${token}` })
 */
export function renderMail<T extends MailTemplateName>(config: MailConfig, template: T, data: MailTemplates[T]): RenderedMail {
  const schema = schemas[template] as z.ZodType | undefined;
  if (schema === undefined) throw new MailTemplateError(`No mail template called ${String(template)}`);
  const parsed = flatten(schema.parse(data)) as Record<string, unknown>;
  const context = {
    ...resolveLinks(config, template, parsed),
    site: {
      name: config.SITE_NAME,
      organisation: config.SITE_ORGANISATION,
      brandColour: config.SITE_BRAND_COLOUR,
      url: config.PUBLIC_URL,
    },
  };
  const file = `${template}.njk`;
  const subject = subjectLine(textEnv.render(file, { ...context, part: 'subject' }));
  return {
    subject,
    text: tidyText(textEnv.render(file, { ...context, subject, part: 'text' })),
    html: htmlEnv.render(file, { ...context, subject, part: 'html' }).replace(/\n\s*\n/g, '\n'),
  };
}
