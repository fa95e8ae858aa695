/**
 * The team member pages: the team in order (move up and down), add or change a
 * member with their photo and consent, and remove one after confirming. Photos
 * are re-encoded before anything is stored; without consent a photo or
 * biography is kept for the team but never published.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { formPage, type ErrorView, type FormFields } from '../site/forms.ts';
import { readForm, registerMultipartForms, type UploadedFile } from './multipart-form.ts';
import { PhotoRejected, processPhoto, type ProcessedPhoto } from './photo-image.ts';
import { EDIT_NEIGHBOURHOOD, parseNeighbourhoodParams } from './staff-access.ts';
import { redirectDone, renderStaff, staffPath } from './staff-pages.ts';
import { loadStaffNeighbourhood } from './staff.repository.ts';
import { changeNeighbourhood, editorFor } from './staff.service.ts';
import { typedLine } from './stored-text.ts';
import { assignMemberIds, deleteMember, deletePhoto, findMember, findMemberPhoto, insertMember, listMembers, MEMBER_ID, moveMember, savePhoto, updateMember, type TeamMemberRow } from './team.repository.ts';
import { memberFields, parseMember, withPhotoError } from './team.schema.ts';
import { requestValue } from '../site/request-values.ts';

const config = EDIT_NEIGHBOURHOOD;

function memberParam(params: unknown): string {
  const raw = requestValue(params, 'member');
  if (typeof raw !== 'string' || !MEMBER_ID.test(raw)) throw new AppError('SC_ERR_NOT_FOUND', 'No such team member');
  return raw;
}

/** The upload re-encoded, null when none was chosen, or the message to show. */
async function photoFrom(file: UploadedFile | null): Promise<ProcessedPhoto | null | string> {
  if (!file) return null;
  if (file.tooLarge) return 'The photo must be smaller than 5MB';
  try {
    return await processPhoto(file.data);
  } catch (error) {
    if (error instanceof PhotoRejected) return error.message;
    throw error;
  }
}

export async function teamRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;
  await registerMultipartForms(app);
  const root = '/staff/neighbourhoods/:force/:id/team';

  async function load(request: FastifyRequest) {
    const { force, id } = parseNeighbourhoodParams(request.params);
    const current = await loadStaffNeighbourhood(store.db, force, id);
    const base = staffPath(force, id);
    return { force, id, teamHref: `${base}/team`, page: { base, forceName: current.force.name, name: typedLine(current.neighbourhood.name) } };
  }

  async function loadMember(request: FastifyRequest) {
    const loaded = await load(request);
    const member = await findMember(store.db, loaded.force, loaded.id, memberParam(request.params));
    if (!member) throw new AppError('SC_ERR_NOT_FOUND', 'No such team member');
    return { ...loaded, member, memberHref: `${loaded.teamHref}/${member.memberId}` };
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, page: Record<string, unknown>, action: string, values: FormFields, member: TeamMemberRow | null, errors?: ErrorView) {
    return renderStaff(
      request,
      reply,
      'member-form.njk',
      { ...page, action, adding: member === null, photoHref: member?.photoId ? `${action}/photo?v=${member.photoId}` : null, ...formPage(values, errors) },
      errors ? 400 : 200,
    );
  }

  app.get(root, { config }, async (request, reply) => {
    const { force, id, teamHref, page } = await load(request);
    await assignMemberIds(store.db, force, id);
    const team = await listMembers(store.db, force, id);
    return renderStaff(request, reply, 'team.njk', {
      ...page,
      teamHref,
      members: team.map((m, i) => ({
        name: typedLine(m.name),
        rank: typedLine(m.rank),
        href: `${teamHref}/${m.memberId}`,
        photo: m.photoId ? (m.photoConsent ? 'Published' : 'Not published: no consent') : 'None',
        bio: m.bio ? (m.bioConsent ? 'Published' : 'Not published: no consent') : 'None',
        first: i === 0,
        last: i === team.length - 1,
      })),
    });
  });

  app.get(`${root}/add`, { config }, async (request, reply) => {
    const { teamHref, page } = await load(request);
    return renderForm(request, reply, page, `${teamHref}/add`, {}, null);
  });

  app.post(`${root}/add`, { config }, async (request, reply) => {
    const { force, id, teamHref, page } = await load(request);
    const { fields, file } = await readForm(request);
    const parsed = parseMember(fields);
    const photo = await photoFrom(file);
    if (!parsed.ok || typeof photo === 'string') {
      const errors = typeof photo === 'string' ? withPhotoError(parsed.ok ? undefined : parsed.errors, photo) : !parsed.ok ? parsed.errors : undefined;
      return renderForm(request, reply, page, `${teamHref}/add`, fields, null, errors);
    }
    const editor = editorFor(app.ctx, request.actor, request.ip);
    const { member } = parsed.value;
    await changeNeighbourhood(editor, force, id, { action: 'record.create', details: { part: 'team_member', name: typedLine(member.name), photo: photo !== null } }, async (trx) => {
      const memberId = await insertMember(trx, force, id, member);
      if (photo) await savePhoto(trx, force, id, memberId, photo, editor.now);
    });
    return redirectDone(reply, teamHref, 'member-added');
  });

  app.get(`${root}/:member`, { config }, async (request, reply) => {
    const { page, member, memberHref } = await loadMember(request);
    return renderForm(request, reply, page, memberHref, memberFields(member), member);
  });

  app.post(`${root}/:member`, { config }, async (request, reply) => {
    const { force, id, teamHref, page, member: stored, memberHref } = await loadMember(request);
    const { fields, file } = await readForm(request);
    const parsed = parseMember(fields, stored.contactDetails);
    const photo = await photoFrom(file);
    if (!parsed.ok || typeof photo === 'string') {
      const errors = typeof photo === 'string' ? withPhotoError(parsed.ok ? undefined : parsed.errors, photo) : !parsed.ok ? parsed.errors : undefined;
      return renderForm(request, reply, page, memberHref, fields, stored, errors);
    }
    const editor = editorFor(app.ctx, request.actor, request.ip);
    const { member, removePhoto } = parsed.value;
    const photoChange = photo ? 'replaced' : removePhoto && stored.photoId ? 'removed' : 'unchanged';
    await changeNeighbourhood(editor, force, id, { action: 'record.update', details: { part: 'team_member', name: typedLine(member.name), photo: photoChange } }, async (trx) => {
      await updateMember(trx, force, id, stored.memberId, member);
      if (photo) await savePhoto(trx, force, id, stored.memberId, photo, editor.now);
      else if (removePhoto) await deletePhoto(trx, stored.memberId);
    });
    return redirectDone(reply, teamHref, 'member-updated');
  });

  // The stored photo for the team's own form, published or not: never cached.
  app.get(`${root}/:member/photo`, { config }, async (request, reply) => {
    const { force, id } = parseNeighbourhoodParams(request.params);
    const photo = await findMemberPhoto(store.db, force, id, memberParam(request.params));
    if (!photo) throw new AppError('SC_ERR_NOT_FOUND', 'No photo');
    return reply.type(photo.contentType).header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff').send(photo.image);
  });

  app.post(`${root}/:member/move`, { config }, async (request, reply) => {
    const { force, id, teamHref, member } = await loadMember(request);
    const direction = requestValue(request.body, 'direction');
    if (direction !== 'up' && direction !== 'down') throw new AppError('SC_ERR_INVALID_FORM', 'Choose whether to move the member up or down');
    await changeNeighbourhood(editorFor(app.ctx, request.actor, request.ip), force, id, { action: 'record.update', details: { part: 'team_member', name: typedLine(member.name), moved: direction } }, (trx) =>
      moveMember(trx, force, id, member.memberId, direction),
    );
    return redirectDone(reply, teamHref, 'member-moved');
  });

  app.get(`${root}/:member/remove`, { config }, async (request, reply) => {
    const { page, member, memberHref, teamHref } = await loadMember(request);
    return renderStaff(request, reply, 'remove.njk', {
      ...page,
      heading: 'Are you sure you want to remove this team member?',
      summary: `${typedLine(member.name)} (${typedLine(member.rank)})`,
      hint: 'Their photo is deleted too.',
      action: `${memberHref}/remove`,
      cancelHref: teamHref,
      button: 'Yes, remove this team member',
    });
  });

  app.post(`${root}/:member/remove`, { config }, async (request, reply) => {
    const { force, id, teamHref, member } = await loadMember(request);
    await changeNeighbourhood(editorFor(app.ctx, request.actor, request.ip), force, id, { action: 'record.delete', details: { part: 'team_member', name: typedLine(member.name) } }, (trx) =>
      deleteMember(trx, force, id, member.memberId),
    );
    return redirectDone(reply, teamHref, 'member-removed');
  });
}
