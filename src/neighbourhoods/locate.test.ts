import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { onRing } from './locate.ts';
import { londonNow } from './london-time.ts';
import { CONCAVE_RING } from './neighbourhoods.fixtures.ts';

describe('onRing', () => {
  it('is true on edges and vertices, false inside and outside', () => {
    assert.equal(onRing({ latitude: 52.62, longitude: -1.13 }, CONCAVE_RING), true);
    assert.equal(onRing({ latitude: 52.6, longitude: -1.16 }, CONCAVE_RING), true);
    assert.equal(onRing({ latitude: 52.63, longitude: -1.1 }, CONCAVE_RING), true);
    assert.equal(onRing({ latitude: 52.61, longitude: -1.13 }, CONCAVE_RING), false);
    assert.equal(onRing({ latitude: 52.64, longitude: -1.13 }, CONCAVE_RING), false);
  });
});

describe('londonNow', () => {
  it('gives London wall-clock time, an hour ahead of UTC in summer', () => {
    assert.equal(londonNow(new Date('2026-07-01T12:00:00Z')), '2026-07-01T13:00:00');
    assert.equal(londonNow(new Date('2026-01-01T00:30:05Z')), '2026-01-01T00:30:05');
  });
});
