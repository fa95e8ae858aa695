/**
 * Validation of every /map-data parameter. Unlike the compatible API, which
 * keeps data.police.uk's silent fallbacks, these endpoints are new, so a bad
 * value, an unknown category or a misspelt key is a 400 whose message says
 * what to send instead.
 */
import { z } from 'zod';
import { CRIME_CATEGORIES } from '../crime/categories.ts';
import { fail } from '../errors.ts';

const CATEGORY_LIST = CRIME_CATEGORIES.map((c) => c.url).join(', ');
const categorySlugs = new Set<string>(CRIME_CATEGORIES.map((c) => c.url));
/** MapLibre draws the world 512 pixels wide at zoom 0. */
const WORLD_PX = 512;
/** The largest viewport side accepted: a 4K screen with room to spare, never the whole country at street zoom. */
export const MAX_VIEWPORT_PX = 8192;

const given = (what: string, example: string) => (iss: { input: unknown }) =>
  iss.input === undefined ? `${what} is required, for example ${example}` : `${what} must be given once, for example ${example}`;

const month = z
  .string({ error: given('month', 'month=2025-02') })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM, for example 2025-02')
  .optional();

/** `all-crime` or omitted means every category. */
const category = z
  .string({ error: given('category', 'category=burglary') })
  .refine((v) => categorySlugs.has(v), { message: `category must be one of: ${CATEGORY_LIST}` })
  .transform((v) => (v === 'all-crime' ? null : v))
  .optional();

const number = (name: string, min: number, max: number, example: string) =>
  z
    .string({ error: given(name, example) })
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, `${name} must be a number from ${min} to ${max}, for example ${example}`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be from ${min} to ${max}`).max(max, `${name} must be from ${min} to ${max}`));

const BBOX_HINT = 'bbox must be minLng,minLat,maxLng,maxLat in degrees, for example bbox=-1.2,52.6,-1.0,52.7 (MapLibre: map.getBounds().toArray().flat())';

const bbox = z.string({ error: given('bbox', 'bbox=-1.2,52.6,-1.0,52.7') }).transform((text, ctx) => {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v))) {
    ctx.addIssue({ code: 'custom', message: BBOX_HINT });
    return z.NEVER;
  }
  const [minLng, minLat, maxLng, maxLat] = values as [number, number, number, number];
  const problems: string[] = [];
  if (minLng < -180 || maxLng > 180) problems.push('longitudes must be from -180 to 180');
  if (minLat < -90 || maxLat > 90) problems.push('latitudes must be from -90 to 90');
  if (minLng >= maxLng) problems.push(`minLng (${minLng}) must be less than maxLng (${maxLng})`);
  if (minLat >= maxLat) problems.push(`minLat (${minLat}) must be less than maxLat (${maxLat})`);
  if (problems.length > 0) {
    ctx.addIssue({ code: 'custom', message: `bbox: ${problems.join('; ')}` });
    return z.NEVER;
  }
  return { minLng, minLat, maxLng, maxLat };
});

export type BBox = { minLng: number; minLat: number; maxLng: number; maxLat: number };

/** Web Mercator y in [0, 1] (0 at the north edge), as supercluster and MapLibre project. */
function mercatorY(lat: number): number {
  const clamped = Math.max(-85.0511, Math.min(85.0511, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
}

/** The box's size in screen pixels at the zoom. */
export function viewportPixels(box: BBox, zoom: number): { width: number; height: number } {
  const scale = WORLD_PX * 2 ** zoom;
  return {
    width: ((box.maxLng - box.minLng) / 360) * scale,
    height: (mercatorY(box.minLat) - mercatorY(box.maxLat)) * scale,
  };
}

export const clustersQuery = z
  .strictObject({ bbox, zoom: number('zoom', 0, 24, 'zoom=10'), month, category })
  .superRefine((q, ctx) => {
    // Bounds far larger than the zoom's screen would send every snap point in them.
    const { width, height } = viewportPixels(q.bbox, q.zoom);
    if (width > MAX_VIEWPORT_PX || height > MAX_VIEWPORT_PX) {
      ctx.addIssue({
        code: 'custom',
        path: ['bbox'],
        message:
          `bbox is ${Math.round(width)} x ${Math.round(height)} pixels at zoom ${q.zoom}, more than ${MAX_VIEWPORT_PX} on a side: ` +
          'send the bounds of the map on screen with its zoom (map.getBounds(), map.getZoom()), or a lower zoom',
      });
    }
  });

export const clusterExpansionQuery = z.strictObject({
  id: number('id', 0, Number.MAX_SAFE_INTEGER, 'id=123456').pipe(z.number().int('id must be a whole number: a cluster id from /map-data/clusters')),
  month,
  category,
});

export const locationQuery = z.strictObject({ month, category });

export const locationParams = z.strictObject({
  locationId: z.string().regex(/^[1-9]\d{0,14}$/, 'locationId must be a positive whole number: a locationId from /map-data/clusters').transform(Number),
});

export const monthsQuery = z.strictObject({
  force: z.string({ error: given('force', 'force=leicestershire') }).min(1, 'force must be a force id, for example force=leicestershire').optional(),
});

/** Plain sentences from zod's issues: what was wrong with which parameter. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((iss) => {
      if (iss.code === 'unrecognized_keys') return `unknown parameter ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
      const where = iss.path.length > 0 && !iss.message.startsWith(`${String(iss.path[0])} `) && !iss.message.startsWith(`${String(iss.path[0])}:`) ? `${iss.path.join('.')}: ` : '';
      return `${where}${iss.message}`;
    })
    .join('; ');
}

/**
 * The parsed value, or a 400 SC_ERR_BAD_MAP_QUERY listing every problem and the
 * parameters the endpoint takes.
 * @example const q = parseMapQuery(clustersQuery, request.query);
 */
export function parseMapQuery<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const keys = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const takes = keys.length > 0 ? ` (this endpoint takes ${keys.join(', ')})` : '';
  fail('SC_ERR_BAD_MAP_QUERY', `${describeIssues(result.error)}${takes}`);
}
