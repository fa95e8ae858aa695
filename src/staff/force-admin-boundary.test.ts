import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_POLYGON_VERTICES } from '../geo/geo.ts';
import { boundaryField } from './force-admin.schema.ts';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `${(51 + 0.1 * Math.sin((2 * Math.PI * i) / n)).toFixed(6)},${(-1.3 + 0.1 * Math.cos((2 * Math.PI * i) / n)).toFixed(6)}`).join('\r\n');

describe('a boundary typed by a force administrator', () => {
  it('takes as many points as any polygon may have, and no more', () => {
    const atCap = boundaryField.safeParse(lines(MAX_POLYGON_VERTICES));
    assert.ok(atCap.success);
    assert.equal(atCap.data.length, MAX_POLYGON_VERTICES + 1, 'closed');
    const over = boundaryField.safeParse(`${lines(MAX_POLYGON_VERTICES + 1)}\n\n`);
    assert.ok(!over.success);
    assert.equal(over.error.issues[0]?.message, 'The boundary must have 10,000 points or fewer');
    assert.deepEqual(boundaryField.safeParse(' \n\r\n').data, [], 'blank is no boundary');
  });
});
