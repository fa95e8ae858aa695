import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundarySchema, forceDetailSchema, neighbourhoodDetailSchema, neighbourhoodListSchema, peopleSchema, prioritiesSchema } from './upstream.schema.ts';

describe('upstream answers read into our types', () => {
  it('reads the published Leicestershire NC04 neighbourhood record', () => {
    const n = neighbourhoodDetailSchema.parse({
      url_force: 'http://www.leics.police.uk/local-policing/city-centre',
      contact_details: { twitter: 'http://www.twitter.com/centralleicsNPA', telephone: '101', fax: null },
      name: 'City Centre',
      links: [{ url: 'http://www.leicester.gov.uk/', description: null, title: 'Leicester City Council' }],
      centre: { latitude: '52.6389', longitude: '-1.13619' },
      locations: [{ name: 'Mansfield House', longitude: null, postcode: 'LE1 3GG', address: '74 Belgrave Gate\n, Leicester', latitude: null, type: 'station', description: null }],
      description: '<p>The Castle neighbourhood…</p>',
      id: 'NC04',
      population: '0',
    });
    assert.deepEqual(n.centre, { latitude: 52.6389, longitude: -1.13619 });
    assert.deepEqual(n.contact_details, { twitter: 'http://www.twitter.com/centralleicsNPA', telephone: '101' });
    assert.equal(n.population, '0');
    assert.equal(n.locations[0]?.latitude, null);
  });

  it('tolerates missing keys and numeric ids', () => {
    const n = neighbourhoodDetailSchema.parse({ id: 42, name: 'X' });
    assert.equal(n.id, '42');
    assert.equal(n.population, '0');
    assert.equal(n.centre, null);
    assert.deepEqual([n.links, n.locations, n.contact_details], [[], [], {}]);
    assert.deepEqual(neighbourhoodListSchema.parse([{ id: 7, name: 'Seven' }]), [{ id: '7', name: 'Seven' }]);
    assert.deepEqual(forceDetailSchema.parse({ id: 'f', name: 'F' }).engagement_methods, []);
    assert.deepEqual(peopleSchema.parse([{ name: 'A', rank: null }]), [{ name: 'A', rank: '', bio: null, contact_details: {} }]);
  });

  it('reads boundary strings as numbers and priorities’ hyphenated keys', () => {
    assert.deepEqual(boundarySchema.parse([{ latitude: '52.6235790036', longitude: '-1.1433951806' }]), [{ latitude: 52.6235790036, longitude: -1.1433951806 }]);
    assert.deepEqual(prioritiesSchema.parse([{ issue: '<p>x</p>', 'issue-date': '2015-10-08T00:00:00', action: null }]), [
      { issue: '<p>x</p>', issue_date: '2015-10-08T00:00:00', action: null, action_date: null },
    ]);
  });
});
