/**
 * Postcodes for the demo neighbourhoods, for postcode search against the demo
 * force. They are well formed (`DM1 2AB`) but fictional: the DM postcode area
 * does not exist. Their coordinates come from the fixed demo geography, so the
 * list is the same on every run whatever seed the crimes were built with.
 */
import type { LatLng } from '../neighbourhoods/neighbourhood.types.ts';
import { DEMO_AREAS, randomPointIn } from './geography.ts';
import { Rng, round6 } from './random.ts';

export interface DemoPostcode {
  /** Normalised as Royal Mail prints it: outward code, one space, inward code. */
  postcode: string;
  neighbourhoodId: string;
  latitude: number;
  longitude: number;
}

// Letters an inward code may end with (C, I, K, M, O and V are never used).
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const PER_NEIGHBOURHOOD: Record<string, number> = { town: 14, suburb: 12, rural: 8 };

function build(): DemoPostcode[] {
  const out: DemoPostcode[] = [];
  for (const area of DEMO_AREAS) {
    const rng = new Rng(`demo-postcodes-${area.id}`);
    const seen = new Set<string>();
    const count = PER_NEIGHBOURHOOD[area.kind] ?? 8;
    while (seen.size < count) {
      const inward = `${rng.int(1, 4)}${rng.pick([...UNIT_LETTERS])}${rng.pick([...UNIT_LETTERS])}`;
      const postcode = `${area.district} ${inward}`;
      if (seen.has(postcode)) continue;
      seen.add(postcode);
      const p: LatLng = randomPointIn(area, rng, 'clustered');
      out.push({ postcode, neighbourhoodId: area.id, latitude: round6(p.latitude), longitude: round6(p.longitude) });
    }
  }
  return out.sort((a, b) => a.postcode.localeCompare(b.postcode, 'en', { numeric: true }));
}

export const DEMO_POSTCODES: readonly DemoPostcode[] = build();

export function demoPostcodesIn(neighbourhoodId: string): DemoPostcode[] {
  return DEMO_POSTCODES.filter((p) => p.neighbourhoodId === neighbourhoodId);
}

/** Looks a postcode up however it was typed: any case, with or without the space. */
export function findDemoPostcode(text: string): DemoPostcode | undefined {
  const wanted = text.replace(/\s+/g, '').toUpperCase();
  return DEMO_POSTCODES.find((p) => p.postcode.replace(' ', '') === wanted);
}
