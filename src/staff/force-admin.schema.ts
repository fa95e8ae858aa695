/**
 * The force administrator's neighbourhood form: an id (when creating), a name, a
 * description and an optional boundary pasted as "lat,lng" lines.
 */
import { z } from 'zod';
import { MAX_POLYGON_VERTICES, splitVertices } from '../geo/geo.ts';
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import { optionalText, requiredText } from '../site/form-rules.ts';
import { parseForm, type FormFields, type Parsed } from '../site/forms.ts';
import type { NeighbourhoodDetails } from './staff.repository.ts';
import { storedLine, storedParagraphs } from './stored-text.ts';

/** `/api/{force}/neighbourhoods` is a route of its own, so no neighbourhood may take that id. */
const RESERVED_IDS = new Set(['neighbourhoods']);

/** "lat,lng" lines as a closed ring; [] when nothing was pasted. */
export const boundaryField = z
  .string()
  .optional()
  .transform((text, ctx): LatLng[] => {
    const lines = splitVertices(text ?? '', /\r?\n/)?.map((l) => l.trim());
    if (!lines) {
      ctx.addIssue({ code: 'custom', message: `The boundary must have ${MAX_POLYGON_VERTICES.toLocaleString('en-GB')} points or fewer` });
      return z.NEVER;
    }
    if (lines.length === 0) return [];
    const points: LatLng[] = [];
    for (const [i, line] of lines.entries()) {
      const m = /^(-?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(line);
      const latitude = Number(m?.[1]);
      const longitude = Number(m?.[2]);
      if (!m || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
        ctx.addIssue({ code: 'custom', message: `Line ${i + 1} of the boundary must be a latitude and longitude, like 51.0632,-1.3080` });
        return z.NEVER;
      }
      points.push({ latitude, longitude });
    }
    const first = points[0]!;
    const last = points[points.length - 1]!;
    if (first.latitude !== last.latitude || first.longitude !== last.longitude) points.push(first);
    if (new Set(points.map((p) => `${p.latitude},${p.longitude}`)).size < 3) {
      ctx.addIssue({ code: 'custom', message: 'The boundary must have at least 3 different points, or be left empty' });
      return z.NEVER;
    }
    return points;
  });

const detailsShape = {
  name: requiredText('Name', 100, 'Enter the name of the neighbourhood'),
  description: optionalText('Description', 3000),
  boundary: boundaryField,
};

const createSchema = z.object({
  id: requiredText('ID', 60, 'Enter an ID for the neighbourhood')
    .refine((s) => /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(s), 'ID must start with a letter or number and contain only letters, numbers, hyphens and underscores')
    .refine((s) => !RESERVED_IDS.has(s.toLowerCase()), 'Choose another ID: that one is reserved'),
  ...detailsShape,
});
const editSchema = z.object(detailsShape);

function details(v: { name: string; description: string; boundary: LatLng[] }): NeighbourhoodDetails {
  return { name: storedLine(v.name), description: storedParagraphs(v.description), boundary: v.boundary };
}

export function parseNewNeighbourhood(fields: FormFields): Parsed<NeighbourhoodDetails & { id: string }> {
  const parsed = parseForm(createSchema, fields);
  return parsed.ok ? { ok: true, value: { id: parsed.value.id, ...details(parsed.value) } } : parsed;
}

export function parseNeighbourhoodDetails(fields: FormFields): Parsed<NeighbourhoodDetails> {
  const parsed = parseForm(editSchema, fields);
  return parsed.ok ? { ok: true, value: details(parsed.value) } : parsed;
}

/** A stored ring as the lines the form shows, without the closing point. */
export function boundaryLines(ring: readonly LatLng[]): string {
  const open = ring.length > 1 ? ring.slice(0, -1) : ring;
  return open.map((p) => `${p.latitude},${p.longitude}`).join('\n');
}
