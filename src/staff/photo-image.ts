/**
 * Team photos as uploaded are never stored or served: each is decoded and
 * re-encoded by sharp to a fixed-size JPEG, which drops every bit of metadata
 * (EXIF, GPS position, camera serial numbers; ASVS 14.2.8) and anything hidden
 * in the file besides the picture.
 */
import sharp from 'sharp';

/** Uploads larger than this are refused (the multipart limit stops reading there). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const PHOTO_SIZE = { width: 400, height: 400 } as const;
/** A decompression bomb (a small file of a huge picture) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

export interface ProcessedPhoto {
  contentType: 'image/jpeg';
  width: number;
  height: number;
  image: Buffer;
}

/** Why an upload cannot be used, in words for the person who chose it. */
export class PhotoRejected extends Error {
  override name = 'PhotoRejected';
}

/**
 * Checks the upload is a JPEG, PNG or WebP picture and returns it turned upright,
 * cropped to the fixed size and re-encoded without metadata.
 * @throws PhotoRejected for anything else.
 */
export async function processPhoto(upload: Buffer): Promise<ProcessedPhoto> {
  if (upload.length > MAX_PHOTO_BYTES) throw new PhotoRejected('The photo must be smaller than 5MB');
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const };
  let format: string | undefined;
  try {
    format = (await sharp(upload, options).metadata()).format;
  } catch {
    throw new PhotoRejected('The selected file must be a JPG, PNG or WebP photo');
  }
  if (format === undefined || !ACCEPTED_FORMATS.has(format)) throw new PhotoRejected('The selected file must be a JPG, PNG or WebP photo');
  try {
    const { data, info } = await sharp(upload, options)
      .autoOrient()
      .resize(PHOTO_SIZE.width, PHOTO_SIZE.height, { fit: 'cover', position: 'attention' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    return { contentType: 'image/jpeg', width: info.width, height: info.height, image: data };
  } catch {
    throw new PhotoRejected('The selected photo could not be read; it may be damaged. Choose another photo');
  }
}
