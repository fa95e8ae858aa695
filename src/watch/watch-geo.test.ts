import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { distanceMetres } from '../geo/geo.ts';
import { normaliseCorners } from './scheme-area.ts';
import { DM1_1WZ, east, squareRing } from './schemes.test-helper.ts';
import { circleRing, generalisedCircle, milesText, newSchemeId, ringCentroid, ringsIntersect, SCHEME_ID } from './watch-geo.ts';

describe('Watch geometry', () => {
  const square = squareRing(DM1_1WZ, 200);

  it('finds overlaps by crossing edges or by one area inside the other, and not between areas apart', () => {
    assert.equal(ringsIntersect(square, squareRing(east(DM1_1WZ, 300), 200)), true, 'edges cross');
    assert.equal(ringsIntersect(square, squareRing(DM1_1WZ, 50)), true, 'wholly inside');
    assert.equal(ringsIntersect(squareRing(DM1_1WZ, 50), square), true, 'wholly around');
    assert.equal(ringsIntersect(square, squareRing(east(DM1_1WZ, 450), 200)), false, 'side by side with a gap');
    // An L-shape whose bounding box covers the square but whose arms do not.
    const l = [
      { latitude: 52.530, longitude: 0.700 }, { latitude: 52.530, longitude: 0.702 }, { latitude: 52.520, longitude: 0.702 },
      { latitude: 52.520, longitude: 0.720 }, { latitude: 52.518, longitude: 0.720 }, { latitude: 52.518, longitude: 0.700 },
    ];
    assert.equal(ringsIntersect(l, square), false, 'boxes overlap, areas do not');
  });

  it('puts the centre in the middle and the public circle around every corner, snapped to a grid', () => {
    const c = ringCentroid(square);
    assert.ok(distanceMetres(c, DM1_1WZ) < 1);
    const circle = generalisedCircle(square, c);
    for (const p of square) assert.ok(distanceMetres(circle, p) <= circle.radiusMetres);
    assert.equal(circle.radiusMetres % 250, 0);
    assert.ok(Math.abs(circle.latitude * 500 - Math.round(circle.latitude * 500)) < 1e-6);
  });

  it('approximates a circle with 24 corners at the radius', () => {
    const ring = circleRing(DM1_1WZ, 400);
    assert.equal(ring.length, 25);
    for (const p of ring) assert.ok(Math.abs(distanceMetres(DM1_1WZ, p) - 400) < 3);
  });

  it('makes unguessable ids and readable distances', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSchemeId));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, SCHEME_ID);
    assert.equal(milesText(1609.344), '1 mile');
    assert.equal(milesText(800), '0.5 miles');
    assert.equal(milesText(30000), '19 miles');
  });

  it('reads typed corners one a line, or separated by colons or semicolons', () => {
    assert.equal(normaliseCorners(' 52.1, 0.7\n52.2 ,0.8\r\n\n52.3,0.9 '), '52.1,0.7:52.2,0.8:52.3,0.9');
    assert.equal(normaliseCorners('52.1,0.7;52.2,0.8:52.3,0.9'), '52.1,0.7:52.2,0.8:52.3,0.9');
  });
});
