import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../errors.ts';
import { MAX_POLYGON_VERTICES } from '../geo/geo.ts';
import { areaContains } from '../geo/area.ts';
import { MAX_EDGE_TESTS, parseArea, parsePoint, parsePoly } from './area.ts';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'none';
};

/** A comb at the cap: every tooth spans the whole height, so no band index helps. */
function combPoly(): string {
  const teeth = Math.floor((MAX_POLYGON_VERTICES - 2) / 4);
  const corners: string[] = [];
  for (let t = 0; t < teeth; t++) {
    const lng = -1.1 + (0.2 * t) / teeth;
    const w = 0.1 / teeth;
    corners.push(`51.9,${lng}`, `52.1,${lng}`, `52.1,${lng + w}`, `51.901,${lng + w}`);
  }
  return [...corners, '51.89,-0.9', '51.89,-1.1'].join(':');
}

describe('API areas', () => {
  it('reads only finite points on the globe', () => {
    assert.deepEqual(parsePoint('-90', '180'), { latitude: -90, longitude: 180 });
    for (const [lat, lng] of [['1'.repeat(400), '0'], ['0', '-' + '9'.repeat(400)], ['90.01', '0'], ['0', '180.01'], ['NaN', '0'], ['Infinity', '0']] as const) {
      assert.equal(code(() => parsePoint(lat, lng)), 'SC_ERR_BAD_LOCATION', `${lat.slice(0, 8)},${lng.slice(0, 8)}`);
    }
    assert.equal(code(() => parsePoly(`${'1'.repeat(400)},0:1,1:0,1`)), 'SC_ERR_BAD_POLY');
  });

  it('refuses more than MAX_POLYGON_VERTICES corners, counting a closing corner as one', () => {
    const poly = (n: number) => Array.from({ length: n }, (_, i) => `${(i % 2) / 100},${i / n}`).join(':');
    assert.equal(parsePoly(poly(MAX_POLYGON_VERTICES)).length, MAX_POLYGON_VERTICES + 1, 'closed for you');
    assert.equal(code(() => parsePoly(poly(MAX_POLYGON_VERTICES + 1))), 'SC_ERR_POLY_TOO_MANY_POINTS');
  });

  it('stops a polygon whose point-in-polygon work passes the budget, as an area too large', () => {
    const area = parseArea({ poly: combPoly() });
    let tested = 0;
    const failed = code(() => {
      for (let i = 0; i < 1_000_000; i++, tested++) areaContains(area, { latitude: 51.95 + (i % 100) / 1000, longitude: -1.1 + (i % 997) / 5000 });
    });
    assert.equal(failed, 'SC_ERR_AREA_TOO_LARGE');
    // Each point meets the two long edges of every tooth: half the corners.
    assert.ok(tested <= MAX_EDGE_TESTS / (MAX_POLYGON_VERTICES / 2) + 1, `${tested} points tested before it stopped`);

    // An ordinary outline at the cap stays far inside the budget for as many points.
    const n = MAX_POLYGON_VERTICES;
    const round = Array.from({ length: n }, (_, i) => `${52 + 0.1 * Math.sin((2 * Math.PI * i) / n)},${-1 + 0.1 * Math.cos((2 * Math.PI * i) / n)}`).join(':');
    const ordinary = parseArea({ poly: round });
    for (let i = 0; i < tested * 5; i++) areaContains(ordinary, { latitude: 51.9 + (i % 200) / 1000, longitude: -1.1 + (i % 997) / 5000 });
  });
});
