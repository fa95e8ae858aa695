import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_POLYGON_VERTICES, PolygonIndex, pointInPolygon, splitVertices, type Point } from './geo.ts';

describe('splitVertices', () => {
  it('gives the non-empty pieces between separators', () => {
    assert.deepEqual(splitVertices('1,2:3,4::5,6:', /:/), ['1,2', '3,4', '5,6']);
    assert.deepEqual(splitVertices(' 1,2\r\n3,4;5,6 ', /[\n\r;:]+/), [' 1,2', '3,4', '5,6 ']);
    assert.deepEqual(splitVertices('', /:/), []);
  });

  it('refuses more than the limit, and more than MAX_POLYGON_VERTICES whatever the limit asked', () => {
    const text = (n: number) => Array.from({ length: n }, (_, i) => `${i},0`).join(':');
    assert.equal(splitVertices(text(MAX_POLYGON_VERTICES), /:/)?.length, MAX_POLYGON_VERTICES);
    assert.equal(splitVertices(text(MAX_POLYGON_VERTICES + 1), /:/), undefined);
    assert.equal(splitVertices(`${text(MAX_POLYGON_VERTICES)}:`, /:/)?.length, MAX_POLYGON_VERTICES, 'a trailing separator is no corner');
    assert.equal(splitVertices(text(5), /:/, 4), undefined);
    assert.equal(splitVertices(text(MAX_POLYGON_VERTICES + 1), /:/, Infinity), undefined);
  });
});

const coordinate = fc.integer({ min: -40, max: 40 }).map((v) => v / 4);
const point = fc.record({ latitude: coordinate, longitude: coordinate });

/** A comb: every tooth spans the full height, so every band holds every tooth. */
function comb(teeth: number): Point[] {
  const ring: Point[] = [];
  for (let t = 0; t < teeth; t++) {
    ring.push({ latitude: 0, longitude: t * 2 }, { latitude: 10, longitude: t * 2 }, { latitude: 10, longitude: t * 2 + 1 }, { latitude: 0.5, longitude: t * 2 + 1 });
  }
  ring.push({ latitude: -1, longitude: teeth * 2 }, { latitude: -1, longitude: 0 });
  return ring;
}

describe('PolygonIndex', () => {
  it('answers exactly as pointInPolygon, on vertices and edges too', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 60 }), fc.boolean(), fc.array(point, { maxLength: 40 }), (ring, close, probes) => {
        const closed = close ? [...ring, ring[0]!] : ring;
        const index = new PolygonIndex(closed);
        for (const p of [...probes, ...ring]) assert.equal(index.contains(p), pointInPolygon(p, closed), JSON.stringify({ closed, p }));
      }),
      { numRuns: 500, seed: 0x6e0 },
    );
  });

  it('tests about √n edges a point for an ordinary outline, and counts the work of a contrived one', () => {
    const n = MAX_POLYGON_VERTICES;
    const circle = Array.from({ length: n }, (_, i) => ({ latitude: 52 + 0.05 * Math.sin((2 * Math.PI * i) / n), longitude: 0.7 + 0.08 * Math.cos((2 * Math.PI * i) / n) }));
    const index = new PolygonIndex(circle);
    for (let i = 0; i < 1000; i++) {
      const p = { latitude: 51.94 + 0.12 * (i / 1000), longitude: 0.6 + 0.2 * ((i * 7919) % 1000) / 1000 };
      assert.equal(index.contains(p), pointInPolygon(p, circle));
    }
    assert.ok(index.edgeTests / 1000 < 4 * Math.sqrt(n), `${index.edgeTests / 1000} edge tests a point`);

    const teeth = new PolygonIndex(comb(1000));
    teeth.contains({ latitude: 5, longitude: 0.5 });
    assert.ok(teeth.edgeTests >= 2000, 'every tooth is tested, and counted');
  });
});
