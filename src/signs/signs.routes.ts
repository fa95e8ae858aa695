/**
 * Spot the signs: the public guides (/signs, /signs/:slug), and the content
 * editors' pages (/staff/signs, /staff/signs/:slug) where each save adds a version.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { AppError } from '../errors.ts';
import { formFields, formPage, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { pageContext } from '../site/page-context.ts';
import { redirect } from '../site/redirect.ts';
import { renderGuideMarkdown } from './markdown.ts';
import { formatDate, guideListItem, guidePage } from './signs.presenter.ts';
import { findLatestPublished, listLatestGuides, listPublishedGuides } from './signs.repository.ts';
import { GUIDE_LIMITS, guideForm, guideSlug } from './signs.schema.ts';
import { guideForEditing, saveGuideVersion } from './signs.service.ts';

/** Where Exit this page sends people: a neutral site that gives nothing away. */
export const EXIT_PAGE_URL = 'https://www.bbc.co.uk/weather';

/** A guide belongs to no force or organisation: the grant's scope is 'any', so the target is empty. */
const EDIT = access('guide.edit', () => ({}));

function parseSlug(params: unknown): string {
  const parsed = guideSlug.safeParse((params as { slug?: unknown } | undefined)?.slug);
  if (!parsed.success) throw new AppError('SC_ERR_UNKNOWN_GUIDE');
  return parsed.data;
}

const DONE: Record<string, string> = { published: 'Guide published', draft: 'Draft saved' };

function doneBanner(query: unknown): string | null {
  const done = (query as Record<string, unknown> | undefined)?.done;
  return typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done]! : null;
}

export async function signsRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;

  app.get('/signs', { config: access('public.view') }, async (_request, reply) => {
    const [context, guides] = await Promise.all([pageContext(app), listPublishedGuides(store.db)]);
    return reply.page('signs/index.njk', { ...context, activeNav: 'signs', exitUrl: EXIT_PAGE_URL, guides: guides.map(guideListItem) });
  });

  app.get('/signs/:slug', { config: access('public.view') }, async (request, reply) => {
    const slug = parseSlug(request.params);
    const [context, guide, all] = await Promise.all([pageContext(app), findLatestPublished(store.db, slug), listPublishedGuides(store.db)]);
    if (!guide) throw new AppError('SC_ERR_UNKNOWN_GUIDE');
    return reply.page('signs/guide.njk', {
      ...context,
      activeNav: 'signs',
      exitUrl: EXIT_PAGE_URL,
      guide: guidePage(guide),
      others: all.filter((g) => g.slug !== slug).map(guideListItem),
    });
  });

  // Content editors.
  app.get('/staff/signs', { config: access('guide.edit') }, async (request, reply) => {
    const [context, guides] = await Promise.all([pageContext(app), listLatestGuides(store.db)]);
    return reply.page('signs/staff-list.njk', {
      ...context,
      activeNav: 'guides',
      successBanner: doneBanner(request.query),
      guides: guides.map((g) => ({
        ...guideListItem(g),
        editHref: `/staff/signs/${encodeURIComponent(g.slug)}`,
        version: g.version,
        published: g.published,
        updated: formatDate(g.createdAt),
      })),
    });
  });

  async function renderEditor(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    values: FormFields | null,
    errors?: ErrorView,
    preview?: string,
  ) {
    const [context, editing] = await Promise.all([pageContext(app), guideForEditing(store, slug)]);
    const { latest } = editing;
    const shown = values ?? { title: latest.title, summary: latest.summary, body: latest.body };
    return reply.code(errors?.errorSummary ? 400 : 200).page('signs/staff-edit.njk', {
      ...context,
      activeNav: 'guides',
      ...formPage(shown, errors),
      slug,
      action: `/staff/signs/${encodeURIComponent(slug)}`,
      publicHref: `/signs/${encodeURIComponent(slug)}`,
      successBanner: doneBanner(request.query),
      limits: GUIDE_LIMITS,
      latestIsDraft: !latest.published,
      preview: preview ?? null,
      versions: editing.versions.map((v) => ({
        version: v.version,
        title: v.title,
        published: v.published,
        author: v.authorPersonId === null ? 'Default text' : (v.authorName ?? 'A former editor'),
        when: formatDate(v.createdAt),
        at: v.createdAt,
      })),
    });
  }

  app.get('/staff/signs/:slug', { config: EDIT }, async (request, reply) => renderEditor(request, reply, parseSlug(request.params), null));

  app.post('/staff/signs/:slug', { config: EDIT }, async (request, reply) => {
    const slug = parseSlug(request.params);
    const fields = formFields(request.body);
    const parsed = parseForm(guideForm, fields);
    if (!parsed.ok) return renderEditor(request, reply, slug, fields, parsed.errors);
    if (parsed.value.intent === 'preview')
      return renderEditor(request, reply, slug, fields, undefined, renderGuideMarkdown(parsed.value.body));
    const actor = request.actor;
    if (!actor) throw new AppError('SC_ERR_FORBIDDEN');
    const saved = await saveGuideVersion(app.ctx, actor, slug, parsed.value, request.ip);
    return redirect(reply, `/staff/signs/${encodeURIComponent(slug)}?done=${saved.published ? 'published' : 'draft'}`, 303);
  });
}
