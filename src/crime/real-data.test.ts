/**
 * Conformance on real published files: after importing everything in
 * ../shared/data/police-uk, a one-mile query answers exactly the crimes that the
 * CSV rows within one mile of the point contain, and outcomes-for-crime gives a
 * crime's whole history from the outcomes file. The expected answers are worked
 * out here straight from the CSV text, without the importer's code.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { before, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import yauzl from 'yauzl';
import type { FastifyInstance } from 'fastify';
import { testApp } from './api-fixture.test-helper.ts';
import { importSources } from '../import/import.service.ts';
import { describeEachStore } from '../store/test-stores.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/police-uk/', import.meta.url));
const ZIPS = ['2025-street.zip', '2026-02-city-of-london.zip'].map((f) => DATA + f);
const present = ZIPS.every((z) => existsSync(z));
const SKIP = present ? false : `real data not found at ../shared/data/police-uk (skipped)`;

interface CsvCrime {
  id: string;
  month: string;
  lat: number;
  lng: number;
  location: string;
  type: string;
}

/** Every CSV file in a zip, as text. */
async function zipTexts(path: string): Promise<Map<string, string>> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(path, { lazyEntries: true }, (e, z) => (e || !z ? rej(e ?? new Error(`cannot open ${path}`)) : res(z))));
  const texts = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!entry.fileName.endsWith('.csv')) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error(`cannot read ${entry.fileName}`));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          texts.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return texts;
}

// An independent great-circle distance (spherical law of cosines, mean Earth radius).
function metres(aLat: number, aLng: number, bLat: number, bLng: number): number {
  const r = Math.PI / 180;
  const c = Math.sin(aLat * r) * Math.sin(bLat * r) + Math.cos(aLat * r) * Math.cos(bLat * r) * Math.cos((bLng - aLng) * r);
  return 6371008.8 * Math.acos(Math.min(1, Math.max(-1, c)));
}

describeEachStore('real data.police.uk files', (getStore) => {
  let app: FastifyInstance;
  const crimes: CsvCrime[] = [];
  const outcomeRows = new Map<string, { month: string; type: string }[]>();

  before(async () => {
    if (!present) return;
    const report = await importSources(getStore(), ZIPS);
    assert.equal(report.rowsRejected, 0);
    assert.deepEqual(report.sourceErrors, []);
    app = await testApp(getStore(), { API_AREA_LIMIT: 'off', API_MONTHS_SERVED: '120' });
    for (const zip of ZIPS) {
      for (const [name, text] of await zipTexts(zip)) {
        const rows: Record<string, string>[] = parse(text, { columns: true, bom: true });
        if (name.endsWith('-street.csv')) {
          for (const r of rows) {
            if (r.Latitude === '' || r.Longitude === '') continue;
            crimes.push({ id: r['Crime ID']!, month: r.Month!, lat: Number(r.Latitude), lng: Number(r.Longitude), location: r.Location!, type: r['Crime type']! });
          }
        } else if (name.endsWith('-outcomes.csv')) {
          for (const r of rows) {
            const list = outcomeRows.get(r['Crime ID']!) ?? [];
            // Exact repeats of a row are one event.
            if (!list.some((o) => o.month === r.Month && o.type === r['Outcome type'])) list.push({ month: r.Month!, type: r['Outcome type']! });
            outcomeRows.set(r['Crime ID']!, list);
          }
        }
      }
    }
  });

  it('answers every one-mile query with exactly the CSV rows within a mile', { skip: SKIP }, async () => {
    const categories: { url: string; name: string }[] = (await app.inject({ url: '/api/crime-categories' })).json();
    const nameOf = new Map(categories.map((c) => [c.url, c.name]));
    // Centres: the docs' Leicester point, and crimes spread over forces and months.
    const centres = [{ lat: 52.629729, lng: -1.131592, month: '2025-01' }];
    for (let i = 0; i < crimes.length; i += Math.floor(crimes.length / 40)) {
      const c = crimes[i]!;
      centres.push({ lat: c.lat + 0.0031, lng: c.lng - 0.0027, month: c.month });
    }
    for (const centre of centres) {
      const expected: string[] = [];
      const ambiguous = new Set<string>();
      for (const c of crimes) {
        if (c.month !== centre.month) continue;
        const d = metres(centre.lat, centre.lng, c.lat, c.lng);
        const key = `${c.id}|${c.type}|${c.lat.toFixed(6)}|${c.lng.toFixed(6)}|${c.location}`;
        // Within a metre of the edge, rounding decides; such rows may fall either way.
        if (Math.abs(d - 1609.344) < 1) ambiguous.add(key);
        else if (d < 1609.344) expected.push(key);
      }
      const res = await app.inject({ url: `/api/crimes-street/all-crime?lat=${centre.lat}&lng=${centre.lng}&date=${centre.month}` });
      assert.equal(res.statusCode, 200);
      const actual = (res.json() as { persistent_id: string; category: string; location: { latitude: string; longitude: string; street: { name: string } } }[])
        .map((c) => `${c.persistent_id}|${nameOf.get(c.category)}|${c.location.latitude}|${c.location.longitude}|${c.location.street.name}`)
        .filter((k) => !ambiguous.has(k));
      assert.deepEqual(actual.sort(), expected.sort(), `point ${centre.lat},${centre.lng} ${centre.month}`);
    }
    assert.ok(centres.length >= 40);
  });

  it('gives outcomes-for-crime the full history from the outcomes file', { skip: SKIP }, async () => {
    const streetIds = new Set(crimes.filter((c) => c.id !== '').map((c) => c.id));
    let checked = 0;
    for (const [id, events] of outcomeRows) {
      if (!streetIds.has(id)) continue;
      const res = await app.inject({ url: `/api/outcomes-for-crime/${id}` });
      assert.equal(res.statusCode, 200, id);
      const body = res.json() as { crime: { persistent_id: string }; outcomes: { category: { name: string }; date: string }[] };
      assert.equal(body.crime.persistent_id, id);
      const normalise = (name: string) => name.replace('Offender given penalty notice', 'Offender given a penalty notice');
      assert.deepEqual(
        body.outcomes.map((o) => `${o.date} ${o.category.name}`),
        events.map((e) => `${e.month} ${normalise(e.type)}`),
        id,
      );
      checked += 1;
    }
    // City of London 2026-02: 336 of the crimes with outcomes are in that month's street file.
    assert.ok(checked >= 336, `checked ${checked}`);
  });
});
