/**
 * What the signs templates print: a guide's rendered body, and the "Who to tell"
 * panel as data (services from who-to-tell.ts, sentences as catalogue keys with
 * their parameters, so the template passes them to `t`).
 */
import { renderGuideMarkdown } from './markdown.ts';
import type { GuideVersion } from './signs.repository.ts';
import { CLOSING_ROUTES, EMERGENCY, ROUTE_TEXT_PARAMS, routesFor, SERVICES, type RouteKey, type Service } from './who-to-tell.ts';

/** A sentence to print: a catalogue key and what fills its placeholders. */
export interface Text {
  key: string;
  params: Record<string, string>;
}

export interface PanelRoute {
  key: RouteKey;
  name: string;
  when: Text;
  phones: { number: string; href: string; label: Text }[];
  url: string | null;
  link: Text;
}

export interface WhoToTellPanel {
  emergency: typeof EMERGENCY;
  topic: PanelRoute[];
  anonymous: PanelRoute;
  other: PanelRoute;
  /** Where "your neighbourhood team" leads until the site has its own reporting form. */
  neighbourhoodFinderHref: string;
}

/** `tel:` address for a number as printed. */
export function telHref(number: string): string {
  return `tel:${number.replace(/\s+/g, '')}`;
}

function present(service: Service): PanelRoute {
  return {
    key: service.key,
    name: service.name,
    when: { key: `signs.route.${service.key}.when`, params: { ...(ROUTE_TEXT_PARAMS[service.key] ?? {}) } },
    phones: service.phones.map((p) => ({
      number: p.number,
      href: telHref(p.number),
      label: { key: p.labelKey ?? 'signs.panel.call', params: { number: p.number } },
    })),
    url: service.url ?? null,
    link: { key: service.linkKey ?? 'signs.panel.website', params: { name: service.name } },
  };
}

export function whoToTellPanel(slug: string): WhoToTellPanel {
  const [anonymous, other] = CLOSING_ROUTES.map((key) => present(SERVICES[key]));
  return {
    emergency: EMERGENCY,
    topic: routesFor(slug).map(present),
    anonymous: anonymous!,
    other: other!,
    // TODO(issue 10, reporting): point "anything else" at the site's own reporting form once /report exists.
    neighbourhoodFinderHref: '/',
  };
}

/** Every catalogue key the panel can produce, for the catalogue test. */
export function panelTextKeys(): string[] {
  const keys = new Set<string>();
  for (const service of Object.values(SERVICES)) {
    const route = present(service);
    keys.add(route.when.key);
    keys.add(route.link.key);
    for (const phone of route.phones) keys.add(phone.label.key);
  }
  return [...keys];
}

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

export function formatDate(iso: string): string {
  return DATE.format(new Date(iso));
}

export interface GuideListItem {
  slug: string;
  title: string;
  summary: string;
  href: string;
}

export function guideListItem(guide: GuideVersion): GuideListItem {
  return { slug: guide.slug, title: guide.title, summary: guide.summary, href: `/signs/${encodeURIComponent(guide.slug)}` };
}

export interface GuidePage {
  slug: string;
  title: string;
  summary: string;
  /** Sanitised HTML: safe to print with `| safe`. */
  bodyHtml: string;
  updated: string;
  panel: WhoToTellPanel;
}

export function guidePage(guide: GuideVersion): GuidePage {
  return {
    slug: guide.slug,
    title: guide.title,
    summary: guide.summary,
    bodyHtml: renderGuideMarkdown(guide.body),
    updated: formatDate(guide.createdAt),
    panel: whoToTellPanel(guide.slug),
  };
}
