/**
 * Starting a scheme: GET and POST /watch/start (signed in: watch.start) and the
 * code of conduct every founder accepts (GET /watch/code-of-conduct, public).
 * The area is drawn on the map (the script fills in the corners field), typed as
 * corners, or given as a distance around a postcode; all three work without
 * JavaScript and are checked on the server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { access } from '../access/access.ts';
import { initialView } from '../crime-map/map-page.service.ts';
import { AppError } from '../errors.ts';
import { pageContext } from '../site/page-context.ts';
import { errorView, formFields, formPage, NO_ERRORS, parseForm, type ErrorView, type FieldError, type FormFields } from '../site/forms.ts';
import { mapSettings } from './find.map.ts';
import { readSchemeArea, SCHEME_RADIUS_CHOICES } from './scheme-area.ts';
import { pendingSchemesOf } from './start.repository.ts';
import { MAX_PENDING_PER_PERSON, startScheme, startSchema } from './start.service.ts';
import { redirect } from '../site/redirect.ts';

/** Field order of the form, which is the order of the error summary: the schema's and the area's errors are merged. */
const FIELD_ORDER = ['name', 'poly', 'postcode', 'radius', 'join_policy', 'coordinator_name', 'street', 'conduct'];

export async function startRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  async function render(request: FastifyRequest, reply: FastifyReply, values: FormFields, errors: ErrorView, status = 200) {
    const [context, view] = await Promise.all([pageContext(app), initialView(ctx, request.query)]);
    return reply.code(status).page('watch/start.njk', {
      ...context,
      ...mapSettings(ctx.config),
      view,
      ...formPage({ radius: '0.25', join_policy: '', ...values }, errors),
      radiusChoices: SCHEME_RADIUS_CHOICES,
    });
  }

  app.get('/watch/code-of-conduct', { config: access('public.view') }, async (_request, reply) => {
    return reply.page('watch/code-of-conduct.njk', await pageContext(app));
  });

  app.get('/watch/start', { config: access('watch.start') }, async (request, reply) => {
    return render(request, reply, { coordinator_name: request.actor?.displayName ?? '' }, NO_ERRORS);
  });

  app.post('/watch/start', { config: access('watch.start') }, async (request, reply) => {
    const actor = request.actor;
    if (!actor) throw new AppError('SC_ERR_SIGN_IN_REQUIRED');
    const fields = formFields(request.body);
    const parsed = parseForm(startSchema, fields);
    const area = await readSchemeArea(ctx, fields);
    const found: Record<string, string> = {};
    if (!parsed.ok) for (const [name, { text }] of Object.entries(parsed.errors.errors)) found[name] = text;
    if (!area.ok) found[area.field] = area.message;
    if (parsed.ok && area.ok && (await pendingSchemesOf(ctx.store.db, actor.personId)) >= MAX_PENDING_PER_PERSON) {
      found.name = `You already have ${MAX_PENDING_PER_PERSON} schemes waiting for approval. Wait until they are approved before you start another`;
    }
    const problems = FIELD_ORDER.filter((name) => found[name] !== undefined).map((name): FieldError => ({ field: name, text: found[name]! }));
    if (problems.length > 0 || !parsed.ok || !area.ok) return render(request, reply, fields, errorView(problems), 400);
    const id = await startScheme(ctx, actor, parsed.value, area.value, request.ip);
    return redirect(reply, `/watch/schemes/${id}`, 303);
  });
}
