import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { areaQuery, parseCircle, parseDrawnPolygon, ringAreaKm2, selfIntersects } from './drawn-area.ts';

const square = [
  { latitude: 52.5, longitude: 0.7 },
  { latitude: 52.51, longitude: 0.7 },
  { latitude: 52.51, longitude: 0.71 },
  { latitude: 52.5, longitude: 0.71 },
];

describe('drawn areas', () => {
  it('measures a square of about 1.1 km by 0.68 km', () => {
    assert.ok(Math.abs(ringAreaKm2(square) - 1.112 * 0.677) < 0.01);
  });

  it('finds crossing and touching edges but not neighbours sharing a corner', () => {
    assert.equal(selfIntersects(square), false);
    assert.equal(selfIntersects([square[0]!, square[2]!, square[1]!, square[3]!]), true);
  });

  it('accepts a closed ring and drops repeated corners', () => {
    const text = '52.5,0.7:52.51,0.7:52.51,0.7:52.51,0.71:52.5,0.71:52.5,0.7';
    const result = parseDrawnPolygon(text);
    assert.ok(result.ok);
    assert.match(result.value.description, /4 corners/);
    assert.equal(areaQuery(result.value.area).poly, '52.5,0.7:52.51,0.7:52.51,0.71:52.5,0.71');
  });

  it('reads a circle with the default radius of a mile', () => {
    const result = parseCircle('52.5', '0.7', undefined);
    assert.ok(result.ok);
    assert.deepEqual(areaQuery(result.value.area), { lat: '52.500000', lng: '0.700000', radius: '1' });
  });
});
