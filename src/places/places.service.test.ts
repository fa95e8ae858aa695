import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { describeEachStore } from '../store/test-stores.ts';
import { PLACES, seedPlaces } from './places.fixtures.ts';
import { MAX_QUERY_LENGTH } from './places.schema.ts';
import { MESSAGES, findPlace, type PlaceResult } from './places.service.ts';

const at = (forceId: string, neighbourhoodId: string) => ({ forceId, neighbourhoodId });

/** Just where a result points, for comparing neighbourhoods and choices. */
function target(result: PlaceResult) {
  if (result.kind === 'neighbourhood') return at(result.forceId, result.neighbourhoodId);
  if (result.kind === 'choices') return result.choices.map((c) => at(c.forceId, c.neighbourhoodId));
  return result;
}

describeEachStore('findPlace', (getStore) => {
  before(async () => {
    await seedPlaces(getStore().db);
  });
  const find = (query: unknown) => findPlace(getStore(), query);

  it('finds a postcode however it is typed, with its point; a listed force wins over an overlapping unlisted one', async () => {
    for (const typed of ['zz11aa', ' ZZ1 1AA ', 'Zz1  1aA']) {
      assert.deepEqual(await find(typed), {
        kind: 'neighbourhood',
        forceId: 'alpha',
        neighbourhoodId: 'town-centre',
        name: 'Town Centre',
        forceName: 'Alphashire Police',
        point: PLACES.alphaCentre,
        postcode: 'ZZ1 1AA',
      });
    }
  });

  it('says it does not know a well-formed postcode missing from the store', async () => {
    assert.deepEqual(await find('so23 8ua'), { kind: 'not-found', message: MESSAGES.unknownPostcode('SO23 8UA') });
    assert.match(MESSAGES.unknownPostcode('SO23 8UA'), /^We do not know the postcode SO23 8UA\./);
  });

  it('says what a postcode looks like when one is mistyped', async () => {
    for (const typed of ['SO23 8U', 'S0238UA', 'ZZ1 1AAA']) {
      assert.deepEqual(await find(typed), { kind: 'invalid', message: MESSAGES.malformedPostcode }, typed);
    }
    assert.match(MESSAGES.malformedPostcode, /like SO23 8UA/);
  });

  it('says a known postcode outside every neighbourhood is outside the area', async () => {
    assert.deepEqual(await find('ZZ9 9ZZ'), { kind: 'not-found', message: MESSAGES.postcodeOutside('ZZ9 9ZZ') });
  });

  it('offers each neighbourhood a postcode district falls in, the one holding most postcodes first', async () => {
    const result = await find('zz1');
    assert.equal(result.kind, 'choices');
    assert.deepEqual(target(result), [at('alpha', 'town-centre'), at('alpha', 'northgate')]);
    assert.equal(result.kind === 'choices' && result.message, MESSAGES.districtChoices('ZZ1', 2));
  });

  it('goes straight to the neighbourhood when a district or sector lies in one', async () => {
    assert.deepEqual(target(await find('ZZ3')), at('beta', 'riverside'));
    assert.deepEqual(target(await find('zz1 2')), at('alpha', 'northgate'));
  });

  it('answers an unknown district, and one outside the area, with a message', async () => {
    assert.deepEqual(await find('ZZ5'), { kind: 'not-found', message: MESSAGES.unknownDistrict('ZZ5') });
    assert.deepEqual(await find('ZZ1 9'), { kind: 'not-found', message: MESSAGES.unknownDistrict('ZZ1 9') });
    assert.deepEqual(await find('ZZ9'), { kind: 'not-found', message: MESSAGES.districtOutside('ZZ9') });
  });

  it('finds typed coordinates, with a comma or a space', async () => {
    for (const typed of ['51.015,-0.995', '51.015 -0.995', ' 51.015 , -0.995 ']) {
      const result = await find(typed);
      assert.deepEqual(target(result), at('alpha', 'northgate'), typed);
      assert.deepEqual(result.kind === 'neighbourhood' && result.point, PLACES.alphaNorth);
    }
    const edge = await find(`${PLACES.alphaEdge.latitude},${PLACES.alphaEdge.longitude}`);
    assert.equal(edge.kind, 'neighbourhood', 'a point on a shared edge still finds a neighbourhood');
  });

  it('checks coordinates are in range, and says when a point is outside the area', async () => {
    assert.deepEqual(await find('95,0'), { kind: 'invalid', message: 'Latitude must be between -90 and 90' });
    assert.deepEqual(await find('51,200'), { kind: 'invalid', message: 'Longitude must be between -180 and 180' });
    assert.deepEqual(await find('53.5,-3.2'), { kind: 'not-found', message: MESSAGES.pointOutside });
  });

  it('finds the point from "use my location", given as text or numbers, and refuses a bad one', async () => {
    assert.deepEqual(target(await find({ latitude: '51.005', longitude: '-0.995' })), at('alpha', 'town-centre'));
    assert.deepEqual(target(await find(PLACES.betaRiverside)), at('beta', 'riverside'));
    assert.deepEqual(await find(PLACES.nowhere), { kind: 'not-found', message: MESSAGES.pointOutside });
    assert.equal((await find({ latitude: 'here', longitude: '' })).kind, 'invalid');
    assert.equal((await find({})).kind, 'invalid');
  });

  it('finds the one neighbourhood whose name contains the text, ignoring case', async () => {
    assert.deepEqual(await find('MILLBROOK'), { kind: 'neighbourhood', forceId: 'alpha', neighbourhoodId: 'northgate', name: 'Northgate and Millbrook', forceName: 'Alphashire Police' });
  });

  it('lists every force’s neighbourhood when a name is shared, with the force to tell them apart', async () => {
    const result = await find('town centre');
    assert.deepEqual(result, {
      kind: 'choices',
      message: MESSAGES.nameChoices('town centre', 2),
      total: 2,
      choices: [
        { forceId: 'alpha', neighbourhoodId: 'town-centre', name: 'Town Centre', forceName: 'Alphashire Police' },
        { forceId: 'beta', neighbourhoodId: 'town-centre', name: 'Town Centre', forceName: 'Betashire Constabulary' },
      ],
    });
  });

  it('ranks names: whole name, then start, then start of a word, then anywhere', async () => {
    assert.deepEqual(target(await find('river')), [at('beta', 'riverside'), at('beta', 'riverside-east'), at('beta', 'upper-riverside')]);
    assert.deepEqual(target(await find('GATE')), [at('beta', 'old-gate'), at('alpha', 'northgate')]);
    // The one exact match is what was meant, though longer names contain it.
    assert.deepEqual(target(await find('Riverside')), at('beta', 'riverside'));
  });

  it('takes % and _ in a name literally', async () => {
    assert.deepEqual(target(await find('100%_safe')), at('gamma', 'station'));
    assert.deepEqual(await find('%%'), { kind: 'not-found', message: MESSAGES.noName('%%') });
    assert.deepEqual(await find('__'), { kind: 'not-found', message: MESSAGES.noName('__') });
  });

  it('says when no name matches', async () => {
    assert.deepEqual(await find('Brackenford'), { kind: 'not-found', message: MESSAGES.noName('Brackenford') });
  });

  it('answers empty, too short, too long and non-text input with a message, never an exception', async () => {
    for (const query of ['', '   ', undefined, null, 42, ['ZZ1 1AA']]) {
      const result = await find(query);
      assert.equal(result.kind, 'invalid', String(query));
    }
    assert.deepEqual(await find('   '), { kind: 'invalid', message: 'Enter a postcode or the name of your neighbourhood' });
    assert.deepEqual(await find('t'), { kind: 'invalid', message: MESSAGES.tooShort });
    assert.deepEqual(await find('x'.repeat(MAX_QUERY_LENGTH + 1)), { kind: 'invalid', message: `Search must be ${MAX_QUERY_LENGTH} characters or fewer` });
  });
});
