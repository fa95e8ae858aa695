/**
 * Team photos for the public neighbourhood page: only a photo whose member
 * agreed to it being published; anything else is not found. The file name is
 * random and new for each upload, so a photo can be cached, but only for a day:
 * a withdrawn consent must take effect soon in caches too.
 */
import type { FastifyInstance } from 'fastify';
import { access } from '../access/access.ts';
import { AppError } from '../errors.ts';
import { findPublishedPhoto, PHOTO_ID } from './team.repository.ts';
import { routeParam } from '../site/request-values.ts';

export async function photoRoutes(app: FastifyInstance): Promise<void> {
  const { store } = app.ctx;
  app.get('/neighbourhood-photos/:file', { config: access('public.view') }, async (request, reply) => {
    const file = routeParam(request, 'file');
    const photoId = file.endsWith('.jpg') ? file.slice(0, -4) : '';
    if (!PHOTO_ID.test(photoId)) throw new AppError('SC_ERR_NOT_FOUND');
    const photo = await findPublishedPhoto(store.db, photoId);
    if (!photo) throw new AppError('SC_ERR_NOT_FOUND');
    return reply
      .type(photo.contentType)
      .header('Cache-Control', 'public, max-age=86400')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cross-Origin-Resource-Policy', 'same-origin')
      .header('Content-Security-Policy', "default-src 'none'")
      .send(photo.image);
  });
}
