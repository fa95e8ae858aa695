/**
 * The coordinator's update form: a title, the update in paragraphs, and who can see
 * it, with messages in the GOV.UK error summary pattern.
 */
import { z } from 'zod';
import { checkedBy } from '../site/form-rules.ts';
import { field, parseForm, type ErrorView, type FormFields } from '../site/forms.ts';
import { lineProblem } from './apply.schema.ts';
import { MAX_TITLE_LENGTH, MAX_UPDATE_PARAGRAPHS, updateParagraphs } from './news.service.ts';
import { bodyProblem, tidyBody } from './relay.schema.ts';

export interface UpdateForm {
  title: string;
  body: string;
  audience: string;
}

/**
 * `active`: whether the scheme is running. A scheme waiting for approval may draft
 * an update but not send it, which is said against the title, the first field.
 */
function updateSchema(active: boolean) {
  return z.object({
    title: checkedBy((title) => (active ? lineProblem(title, 'a title', MAX_TITLE_LENGTH) : 'Updates can be sent once the scheme has been approved')),
    body: checkedBy((body) => bodyProblem(body, 'the update') ?? (updateParagraphs(body) === null ? `The update must have ${MAX_UPDATE_PARAGRAPHS} paragraphs or fewer` : null)),
    audience: z.enum(['public', 'members'], { error: 'Select who can see the update' }),
  });
}

/** The form as typed (title trimmed, line endings tidied), to show again or to send, and what is wrong with it. */
export function readUpdate(fields: FormFields, active: boolean): { values: UpdateForm; errors: ErrorView | null } {
  const values = { title: field(fields, 'title').trim(), body: tidyBody(field(fields, 'body')), audience: field(fields, 'audience') };
  const parsed = parseForm(updateSchema(active), values);
  return { values, errors: parsed.ok ? null : parsed.errors };
}
