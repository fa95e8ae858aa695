import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { areaQuery, MAX_VERTICES, parseCircle, parseDrawnPolygon, ringAreaKm2, selfIntersects } from './drawn-area.ts';

/** `n` corners on a circle of about 1 km around 52.5, 0.7. */
const circle = (n: number, separator = ':') =>
  Array.from({ length: n }, (_, i) => `${(52.5 + 0.01 * Math.sin((2 * Math.PI * i) / n)).toFixed(6)},${(0.7 + 0.015 * Math.cos((2 * Math.PI * i) / n)).toFixed(6)}`).join(separator);

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

  it('takes up to MAX_VERTICES corners (and the closing one) and refuses more, reading no further', () => {
    assert.ok(parseDrawnPolygon(circle(MAX_VERTICES)).ok);
    assert.ok(parseDrawnPolygon(`${circle(MAX_VERTICES)}:${circle(1)}`).ok, 'closed');
    for (const text of [circle(MAX_VERTICES + 2), circle(55_000), `${circle(MAX_VERTICES)}:${'52.5,0.7:'.repeat(100_000)}`]) {
      const result = parseDrawnPolygon(text);
      assert.ok(!result.ok);
      assert.equal(result.message, `The area has more than ${MAX_VERTICES} corners. Draw it with ${MAX_VERTICES} corners or fewer`);
    }
    assert.ok(parseDrawnPolygon(circle(10, '\n'), /[\n\r;:]+/).ok, 'another separator');
  });

  it('refuses corners and circles off the globe, and numbers too long to be finite', () => {
    const digits = '1'.repeat(400);
    for (const text of [`${digits},0.7:52.51,0.7:52.51,0.71`, `52.5,-${digits}:52.51,0.7:52.51,0.71`, '52.5,0.7:52.51,180.1:52.51,0.71', '-90.5,0.7:52.51,0.7:52.51,0.71']) {
      const result = parseDrawnPolygon(text);
      assert.ok(!result.ok && /latitude from -90 to 90/.test(result.message), text.slice(0, 20));
    }
    for (const [lat, lng] of [[digits, '0.7'], ['52.5', digits], ['91', '0.7'], ['52.5', '-181']] as const) {
      const result = parseCircle(lat, lng, undefined);
      assert.ok(!result.ok && result.field === 'lat', `${lat.slice(0, 10)}, ${lng.slice(0, 10)}`);
    }
  });

  it('reads a circle with the default radius of a mile', () => {
    const result = parseCircle('52.5', '0.7', undefined);
    assert.ok(result.ok);
    assert.deepEqual(areaQuery(result.value.area), { lat: '52.500000', lng: '0.700000', radius: '1' });
  });
});
