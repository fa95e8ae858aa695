/**
 * The team's contact details: one form over the neighbourhood's contact_details,
 * kept in upstream's shape (`email`, `telephone`, `web`, `facebook`, …). Keys the
 * form does not show (a fax number from upstream) are kept as they were.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ContactDetails } from '../neighbourhoods/neighbourhood.types.ts';
import { optionalEmail, optionalPhone, optionalUrl } from '../site/form-rules.ts';
import { formFields, formPage, parseForm, type FormFields } from '../site/forms.ts';
import { EDIT_NEIGHBOURHOOD, parseNeighbourhoodParams } from './staff-access.ts';
import { redirectDone, renderStaff, staffPath } from './staff-pages.ts';
import { loadStaffNeighbourhood, saveContactDetails } from './staff.repository.ts';
import { changeNeighbourhood, editorFor } from './staff.service.ts';
import { typedLine } from './stored-text.ts';

/** Form field → upstream key, with its label. */
export const CONTACT_FIELDS = [
  { field: 'email', key: 'email', label: 'Email address' },
  { field: 'telephone', key: 'telephone', label: 'Telephone number' },
  { field: 'mobile', key: 'mobile', label: 'Mobile number' },
  { field: 'web', key: 'web', label: 'Website' },
  { field: 'facebook', key: 'facebook', label: 'Facebook page' },
  { field: 'twitter', key: 'twitter', label: 'X (Twitter) page' },
  { field: 'youtube', key: 'youtube', label: 'YouTube channel' },
  { field: 'messaging', key: 'e-messaging', label: 'Messaging alerts page' },
] as const;

const contactSchema = z.object({
  email: optionalEmail,
  telephone: optionalPhone('Telephone number'),
  mobile: optionalPhone('Mobile number'),
  web: optionalUrl('Website'),
  facebook: optionalUrl('Facebook page'),
  twitter: optionalUrl('X (Twitter) page'),
  youtube: optionalUrl('YouTube channel'),
  messaging: optionalUrl('Messaging alerts page'),
});

/** The stored details with the form's keys replaced; an emptied field removes its key. */
export function mergeContacts(stored: ContactDetails, typed: Record<(typeof CONTACT_FIELDS)[number]['field'], string>): ContactDetails {
  const out: ContactDetails = { ...stored };
  for (const { field, key } of CONTACT_FIELDS) {
    if (typed[field]) out[key] = typed[field];
    else delete out[key];
  }
  return out;
}

export async function contactRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;
  const path = '/staff/neighbourhoods/:force/:id/contacts';

  async function load(params: unknown) {
    const { force, id } = parseNeighbourhoodParams(params);
    const current = await loadStaffNeighbourhood(store.db, force, id);
    const base = staffPath(force, id);
    return { force, id, current, base, page: { base, action: `${base}/contacts`, forceName: current.force.name, name: typedLine(current.neighbourhood.name), fields: CONTACT_FIELDS } };
  }

  app.get(path, { config: EDIT_NEIGHBOURHOOD }, async (request, reply) => {
    const { current, page } = await load(request.params);
    const values: FormFields = {};
    for (const { field, key } of CONTACT_FIELDS) values[field] = current.neighbourhood.contact_details[key] ?? '';
    return renderStaff(request, reply, 'contacts.njk', { ...page, ...formPage(values) });
  });

  app.post(path, { config: EDIT_NEIGHBOURHOOD }, async (request, reply) => {
    const { force, id, current, base, page } = await load(request.params);
    const fields = formFields(request.body);
    const parsed = parseForm(contactSchema, fields);
    if (!parsed.ok) return renderStaff(request, reply, 'contacts.njk', { ...page, ...formPage(fields, parsed.errors) }, 400);
    const before = current.neighbourhood.contact_details;
    const after = mergeContacts(before, parsed.value);
    const changed = CONTACT_FIELDS.filter(({ key }) => (before[key] ?? '') !== (after[key] ?? '')).map(({ key }) => key);
    await changeNeighbourhood(editorFor(app.ctx, request.actor, request.ip), force, id, { action: 'record.update', details: { part: 'contact_details', changed } }, (trx) =>
      saveContactDetails(trx, force, id, after),
    );
    return redirectDone(reply, base, 'contacts-updated');
  });
}
