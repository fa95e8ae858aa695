/**
 * The "message the coordinator" form and the reply boxes: what each field must be,
 * with messages in the GOV.UK error summary pattern.
 */
import { z } from 'zod';
import { emailProblem, nameProblem } from '../accounts/account.schema.ts';
import { checkedBy } from '../site/form-rules.ts';
import { field, formFields, parseForm, type ErrorView } from '../site/forms.ts';
import { lineProblem } from './apply.schema.ts';
import { HONEYPOT_FIELD, MAX_MESSAGE_LENGTH, MAX_SUBJECT_LENGTH } from './relay.service.ts';

export interface MessageForm {
  name: string;
  email: string;
  subject: string;
  message: string;
  stamp: string;
  /** Anything typed in the hidden field: only a script fills it in. */
  honeypot: string;
}

/** A message body: required, bounded; line breaks are welcome, other control characters are not. */
export function bodyProblem(value: string, what = 'your message'): string | null {
  if (value.trim() === '') return `Enter ${what}`;
  if ([...value].length > MAX_MESSAGE_LENGTH) return `${what[0]!.toUpperCase()}${what.slice(1)} must be ${MAX_MESSAGE_LENGTH} characters or fewer`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) return `${what[0]!.toUpperCase()}${what.slice(1)} must only include text`;
  return null;
}

/** Line endings as one \n, and no space at either end. */
export function tidyBody(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

const messageSchema = z.object({
  name: checkedBy(nameProblem),
  email: checkedBy(emailProblem),
  subject: checkedBy((subject) => lineProblem(subject, 'a subject', MAX_SUBJECT_LENGTH)),
  message: checkedBy((message) => bodyProblem(message)),
});

const replySchema = z.object({ message: checkedBy((message) => bodyProblem(message, 'your reply')) });

/** The form as typed (trimmed, line endings tidied), to show again or to send, and what is wrong with it. */
export function readMessage(body: unknown): { form: MessageForm; errors: ErrorView | null } {
  const fields = formFields(body);
  const form: MessageForm = {
    name: field(fields, 'name').trim(),
    email: field(fields, 'email').trim(),
    subject: field(fields, 'subject').trim(),
    message: tidyBody(field(fields, 'message')),
    stamp: field(fields, 'stamp'),
    honeypot: field(fields, HONEYPOT_FIELD),
  };
  const parsed = parseForm(messageSchema, form);
  return { form, errors: parsed.ok ? null : parsed.errors };
}

/** A reply box: just the message. */
export function readReply(body: unknown): { message: string; errors: ErrorView | null } {
  const message = tidyBody(field(formFields(body), 'message'));
  const parsed = parseForm(replySchema, { message });
  return { message, errors: parsed.ok ? null : parsed.errors };
}
