/**
 * Multipart forms (the team member form, which carries a photo) for the plugin
 * that registers them, and only there, with tight limits.
 *
 * CSRF: the app's check runs as a preHandler and reads `_csrf` from `request.body`,
 * which nothing fills for multipart. So before it, this reads just the first part:
 * when that is the `_csrf` field, its value becomes the body the check sees; when it
 * is not, the body is empty and the check refuses the request, before any file is
 * read. The rest of the parts are read only by a handler, after access control.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { CSRF_FIELD } from '../sessions/csrf.ts';
import { formFields, type FormFields } from '../site/forms.ts';
import { MAX_PHOTO_BYTES } from './photo-image.ts';

type Parts = AsyncIterableIterator<import('@fastify/multipart').Multipart>;

const pending = new WeakMap<FastifyRequest, Parts>();

export interface UploadedFile {
  field: string;
  filename: string;
  data: Buffer;
  /** True when the file was larger than the limit (only the first MAX_PHOTO_BYTES were kept). */
  tooLarge: boolean;
}

export interface SubmittedForm {
  fields: FormFields;
  /** The one file a form may carry; null when none was chosen. */
  file: UploadedFile | null;
}

/** Registers multipart parsing, with its limits, in the calling plugin's context. */
export async function registerMultipartForms(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 20, parts: 21, fieldNameSize: 50, fieldSize: 16 * 1024, headerPairs: 20 },
  });
  app.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    const parts = request.parts();
    try {
      const first = await parts.next();
      const part = first.done ? undefined : first.value;
      const token = part?.type === 'field' && part.fieldname === CSRF_FIELD && typeof part.value === 'string' ? part.value : undefined;
      request.body = token === undefined ? {} : { [CSRF_FIELD]: token };
      pending.set(request, parts);
    } catch {
      request.body = {};
    }
  });
}

/** Reads the whole form: from the multipart parts left after `_csrf`, or from an ordinary form body. */
export async function readForm(request: FastifyRequest): Promise<SubmittedForm> {
  if (!request.isMultipart()) return { fields: formFields(request.body), file: null };
  const parts = pending.get(request);
  if (!parts) throw new AppError('SC_ERR_INVALID_FORM', 'The form could not be read. Go back and try again');
  const fields: FormFields = Object.create(null) as FormFields;
  let file: UploadedFile | null = null;
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        const data = Buffer.concat(chunks);
        // A file input left empty still sends a part, with no name and no bytes.
        if (part.filename !== '' || data.length > 0) file = { field: part.fieldname, filename: part.filename, data, tooLarge: part.file.truncated };
      } else if (typeof part.value === 'string' && !Object.hasOwn(fields, part.fieldname) && part.fieldname !== CSRF_FIELD) {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    throw new AppError('SC_ERR_INVALID_FORM', 'The form could not be read: it had too many fields or files. Go back and try again', { cause: error });
  }
  return { fields, file };
}
