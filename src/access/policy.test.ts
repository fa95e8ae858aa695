import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIONS, PERMISSIONS, ROLE_ORGANISATION_TYPES, ROLES, SCHEME_ROLES, type Action, type Role } from './permissions.ts';
import { allowedEverywhere, isAllowed, scopesFor, SOMEWHERE, type Actor, type HeldRole } from './policy.ts';

const held = (role: Role, over: Partial<HeldRole> = {}): HeldRole => ({
  role,
  organisationId: 'org-a',
  organisationType: ROLE_ORGANISATION_TYPES[role][0]!,
  forceId: 'demo',
  neighbourhoodId: 'DM01',
  ...over,
});
const actor = (...roles: HeldRole[]): Actor => ({ personId: 'p1', email: 'p1@example.test', displayName: 'P One', roles, schemeRoles: [] });

describe('the permission table', () => {
  it('opens only the public pages and the sign-in forms to everyone', () => {
    const open = ACTIONS.filter((a) => PERMISSIONS[a].some((g) => g.to === 'everyone'));
    assert.deepEqual(open.sort(), ['account.authenticate', 'public.view', 'watch.apply']);
  });

  it('gives every action at least one grant, and grants only known roles', () => {
    for (const action of ACTIONS) {
      assert.ok(PERMISSIONS[action].length > 0, action);
      for (const grant of PERMISSIONS[action]) {
        const known = [...ROLES, ...SCHEME_ROLES, 'everyone', 'signed_in'] as readonly string[];
        assert.ok(known.includes(grant.to), `${action}: ${grant.to}`);
      }
    }
  });

  it('gives platform administrators no power over neighbourhood pages (administration is not data access)', () => {
    assert.equal(isAllowed(actor(held('platform_admin', { organisationType: 'platform', forceId: null, neighbourhoodId: null })), 'neighbourhood.edit', { forceId: 'demo', neighbourhoodId: 'DM01' }), false);
  });
});

describe('isAllowed', () => {
  const teamA = held('neighbourhood_officer', { organisationId: 'team-a', organisationType: 'neighbourhood_team', forceId: 'demo', neighbourhoodId: 'DM01' });
  const forceAdmin = held('force_admin', { organisationId: 'force-demo', organisationType: 'police_force', forceId: 'demo', neighbourhoodId: null });

  it('lets a neighbourhood team edit its own neighbourhood and no other', () => {
    assert.equal(isAllowed(actor(teamA), 'neighbourhood.edit', { forceId: 'demo', neighbourhoodId: 'DM01' }), true);
    assert.equal(isAllowed(actor(teamA), 'neighbourhood.edit', { forceId: 'demo', neighbourhoodId: 'DM02' }), false);
    // The same neighbourhood id in another force is another neighbourhood.
    assert.equal(isAllowed(actor(teamA), 'neighbourhood.edit', { forceId: 'other', neighbourhoodId: 'DM01' }), false);
    assert.equal(isAllowed(actor(teamA), 'neighbourhood.manage', { forceId: 'demo' }), false);
  });

  it('lets a force administrator edit and manage every neighbourhood of their force only', () => {
    assert.equal(isAllowed(actor(forceAdmin), 'neighbourhood.edit', { forceId: 'demo', neighbourhoodId: 'DM07' }), true);
    assert.equal(isAllowed(actor(forceAdmin), 'neighbourhood.manage', { forceId: 'demo' }), true);
    assert.equal(isAllowed(actor(forceAdmin), 'neighbourhood.edit', { forceId: 'other', neighbourhoodId: 'X1' }), false);
  });

  it('keeps organisation administrators inside their organisation', () => {
    const admin = actor(held('org_admin', { organisationId: 'council-a', organisationType: 'local_authority' }));
    assert.equal(isAllowed(admin, 'person.suspend', { organisationId: 'council-a' }), true);
    assert.equal(isAllowed(admin, 'person.suspend', { organisationId: 'council-b' }), false);
    assert.equal(isAllowed(admin, 'person.suspend', {}), false, 'a target without an organisation matches no organisation');
    assert.equal(isAllowed(admin, 'organisation.manage', SOMEWHERE), false);
  });

  it('refuses anonymous visitors everything but what is open to everyone', () => {
    for (const action of ACTIONS) {
      const open = action === 'public.view' || action === 'account.authenticate' || action === 'watch.apply';
      assert.equal(isAllowed(null, action, SOMEWHERE), open, action);
    }
  });

  it('lets signed-in people manage only their own account', () => {
    const resident = actor();
    assert.equal(isAllowed(resident, 'account.manage_own', { personId: 'p1' }), true);
    assert.equal(isAllowed(resident, 'account.manage_own', { personId: 'p2' }), false);
  });

  it('judges a role only in the organisation it is held in, when someone holds several', () => {
    const both = actor(held('member', { organisationId: 'council-b' }), held('org_admin', { organisationId: 'council-a' }));
    assert.equal(isAllowed(both, 'person.invite', { organisationId: 'council-b' }), false);
    assert.equal(isAllowed(both, 'person.invite', { organisationId: 'council-a' }), true);
  });

  it('takes a revoked role away at once: the decision uses only the roles passed in', () => {
    const before = actor(teamA);
    const after = actor();
    const target = { forceId: 'demo', neighbourhoodId: 'DM01' };
    assert.equal(isAllowed(before, 'neighbourhood.edit', target), true);
    assert.equal(isAllowed(after, 'neighbourhood.edit', target), false);
  });

  it('matches every role against every action exactly as the table says (scope any or somewhere)', () => {
    for (const role of ROLES) {
      for (const action of ACTIONS) {
        const grants = PERMISSIONS[action as Action] as readonly { to: string; scope: string }[];
        const expected = grants.some((g) => g.to === 'everyone' || g.to === 'signed_in' || g.to === role);
        assert.equal(isAllowed(actor(held(role)), action, SOMEWHERE), expected, `${role} ${action}`);
      }
    }
  });
});

describe('scheme roles', () => {
  const coordinatorOf = (schemeId: string): Actor => ({ ...actor(), schemeRoles: [{ role: 'scheme_coordinator', schemeId }] });
  const deputyOf = (schemeId: string): Actor => ({ ...actor(), schemeRoles: [{ role: 'scheme_deputy', schemeId }] });

  it('lets coordinators and deputies run their own scheme only', () => {
    assert.equal(isAllowed(coordinatorOf('s1'), 'watch.coordinate', { schemeId: 's1' }), true);
    assert.equal(isAllowed(deputyOf('s1'), 'watch.coordinate', { schemeId: 's1' }), true);
    assert.equal(isAllowed(coordinatorOf('s1'), 'watch.coordinate', { schemeId: 's2' }), false);
    assert.equal(isAllowed(coordinatorOf('s1'), 'watch.coordinate', {}), false);
  });

  it('keeps handing over and closing to the main coordinator', () => {
    assert.equal(isAllowed(coordinatorOf('s1'), 'watch.lead', { schemeId: 's1' }), true);
    assert.equal(isAllowed(deputyOf('s1'), 'watch.lead', { schemeId: 's1' }), false);
  });

  it('gives a member of a scheme no coordinator powers', () => {
    const member: Actor = { ...actor(), schemeRoles: [{ role: 'scheme_member', schemeId: 's1' }] };
    assert.equal(isAllowed(member, 'watch.coordinate', { schemeId: 's1' }), false);
  });

  it('lets a Watch area administrator act in their force area only', () => {
    const admin = actor(held('watch_admin', { organisationType: 'watch_association', forceId: 'demo', neighbourhoodId: null }));
    assert.equal(isAllowed(admin, 'watch.administer', { forceId: 'demo', schemeId: 's1' }), true);
    assert.equal(isAllowed(admin, 'watch.administer', { forceId: 'other', schemeId: 's9' }), false);
  });
});

describe('scopesFor', () => {
  it('says where an auditor may look, so list pages can narrow what they show', () => {
    const auditor = actor(held('auditor', { organisationId: 'council-a' }));
    const scopes = scopesFor(auditor, 'audit.view');
    assert.deepEqual(scopes.map((s) => [s.scope, s.held?.organisationId]), [['own_organisation', 'council-a']]);
    assert.equal(allowedEverywhere(auditor, 'audit.view'), false);
    assert.equal(allowedEverywhere(actor(held('platform_admin')), 'audit.view'), true);
  });
});
