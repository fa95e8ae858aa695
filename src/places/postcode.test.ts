import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnsFromHeader, convertRow } from './postcode-formats.ts';
import { parsePoint, parseQueryText, parseTypedCoordinates } from './places.schema.ts';
import { looksLikePostcodeAttempt, normalisePostcode, outwardCode, parsePartialPostcode } from './postcode.ts';

describe('normalisePostcode', () => {
  it('upper-cases and puts one space before the inward code, however it was typed', () => {
    for (const typed of ['so238ua', ' SO23 8UA ', 'SO23  8UA', 'so23\t8ua', 'S O 2 3 8 U A']) assert.equal(normalisePostcode(typed), 'SO23 8UA');
    assert.equal(normalisePostcode('w1a1aa'), 'W1A 1AA');
    assert.equal(normalisePostcode('M1 1AE'), 'M1 1AE');
    assert.equal(normalisePostcode('ec1a 1bb'), 'EC1A 1BB');
    assert.equal(normalisePostcode('DM10 3XY'), 'DM10 3XY');
    assert.equal(normalisePostcode('gir0aa'), 'GIR 0AA');
  });

  it('refuses what is not shaped like a full postcode', () => {
    for (const typed of ['', 'SO23', 'SO23 8U', 'SO23 8UAA', '123 ABC', 'SO238 UA1', 'S0238UA', 'ABC1 1AA', 'town centre']) {
      assert.equal(normalisePostcode(typed), undefined, typed);
    }
  });

  it('gives the outward code of a stored postcode', () => {
    assert.equal(outwardCode('SO23 8UA'), 'SO23');
    assert.equal(outwardCode('M1 1AE'), 'M1');
  });
});

describe('parsePartialPostcode', () => {
  it('reads a district or a sector', () => {
    assert.deepEqual(parsePartialPostcode('dm1'), { outward: 'DM1' });
    assert.deepEqual(parsePartialPostcode(' DM12 '), { outward: 'DM12' });
    assert.deepEqual(parsePartialPostcode('dm1 2'), { outward: 'DM1', sector: '2' });
    assert.deepEqual(parsePartialPostcode('W1A 1'), { outward: 'W1A', sector: '1' });
  });

  it('leaves names and full postcodes alone', () => {
    for (const typed of ['Riverside', 'DM1 2AB', 'DM1 22', '12']) assert.equal(parsePartialPostcode(typed), undefined, typed);
  });
});

describe('looksLikePostcodeAttempt', () => {
  it('spots mistyped postcodes but not names', () => {
    assert.equal(looksLikePostcodeAttempt('SO23 8U'), true);
    assert.equal(looksLikePostcodeAttempt('S0238UA'), true);
    assert.equal(looksLikePostcodeAttempt('Riverside'), false);
    assert.equal(looksLikePostcodeAttempt('St Mary’s 2'), false);
  });
});

describe('place search input', () => {
  it('trims the query and refuses empty or overlong text', () => {
    assert.deepEqual(parseQueryText('  town   centre '), { ok: true, value: 'town centre' });
    assert.equal(parseQueryText('   ').ok, false);
    assert.equal(parseQueryText(undefined).ok, false);
    assert.equal(parseQueryText(42).ok, false);
    assert.equal(parseQueryText('x'.repeat(101)).ok, false);
  });

  it('reads typed coordinates with a comma or a space, and checks their range', () => {
    assert.deepEqual(parseTypedCoordinates('52.6,-1.1'), { ok: true, value: { latitude: 52.6, longitude: -1.1 } });
    assert.deepEqual(parseTypedCoordinates('52.6 -1.1'), { ok: true, value: { latitude: 52.6, longitude: -1.1 } });
    assert.deepEqual(parseTypedCoordinates('52.6 , -1.1'), { ok: true, value: { latitude: 52.6, longitude: -1.1 } });
    assert.deepEqual(parseTypedCoordinates('91,0'), { ok: false, message: 'Latitude must be between -90 and 90' });
    assert.deepEqual(parseTypedCoordinates('0,-181'), { ok: false, message: 'Longitude must be between -180 and 180' });
    assert.equal(parseTypedCoordinates('SO23 8UA'), undefined);
    assert.equal(parseTypedCoordinates('52.6'), undefined);
  });

  it('reads a browser point given as numbers or text, and never turns blank into 0', () => {
    assert.deepEqual(parsePoint({ latitude: '52.6', longitude: '-1.1' }), { ok: true, value: { latitude: 52.6, longitude: -1.1 } });
    assert.deepEqual(parsePoint({ latitude: 52.6, longitude: -1.1 }), { ok: true, value: { latitude: 52.6, longitude: -1.1 } });
    assert.equal(parsePoint({ latitude: '', longitude: '' }).ok, false);
    assert.equal(parsePoint({ latitude: Number.NaN, longitude: 0 }).ok, false);
    assert.equal(parsePoint({ latitude: '1e3', longitude: '0' }).ok, false);
    assert.equal(parsePoint({}).ok, false);
  });
});

describe('postcode file formats', () => {
  it('recognises the ONSPD header and picks pcds over pcd', () => {
    const header = columnsFromHeader(['pcd', 'pcd2', 'pcds', 'dointr', 'doterm', 'oslaua', 'lat', 'long']);
    assert.deepEqual(header, { ok: true, columns: { format: 'onspd', width: 8, postcode: 2, latitude: 6, longitude: 7, terminated: 4, localAuthority: 5 } });
  });

  it('recognises newer ONSPD local authority columns (ladNNcd) and upper-case headers', () => {
    const header = columnsFromHeader(['PCDS', 'DOTERM', 'LAD25CD', 'LAT', 'LONG']);
    assert.equal(header.ok && header.columns.localAuthority, 2);
  });

  it('recognises a plain postcode, latitude, longitude CSV', () => {
    const header = columnsFromHeader(['Postcode', 'Latitude', 'Longitude']);
    assert.deepEqual(header, { ok: true, columns: { format: 'csv', width: 3, postcode: 0, latitude: 1, longitude: 2 } });
  });

  it('refuses Code-Point Open as published (eastings and northings, no header) with a way forward', () => {
    const header = columnsFromHeader(['SO23 8UA', '10', '448100', '129600', 'E92000001', 'E19000002', 'E18000008', 'E10000014', 'E07000094', 'E05012345']);
    assert.equal(header.ok, false);
    assert.match(header.ok ? '' : header.reason, /Code-Point Open.*eastings and northings/);
  });

  it('turns the ONSPD "no coordinates" marker into a skip, not a bad row', () => {
    const header = columnsFromHeader(['pcds', 'doterm', 'lat', 'long']);
    assert.ok(header.ok);
    assert.deepEqual(convertRow(['SO23 8UA', '', '99.999999', '0.000000'], header.columns), { kind: 'no-coordinates', postcode: 'SO23 8UA' });
    assert.deepEqual(convertRow(['SO23 8UA', '202001', '51.06', '-1.31'], header.columns), { kind: 'terminated', postcode: 'SO23 8UA' });
    assert.deepEqual(convertRow(['SO23 8UA', '', '151.06', '-1.31'], header.columns), { kind: 'bad', reason: 'SO23 8UA: latitude 151.06 is outside -90 to 90' });
  });
});
