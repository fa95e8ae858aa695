import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import argon2 from 'argon2';
import { commonPasswordCount, isCommonPassword } from './common-passwords.ts';
import {
  ARGON2_PARAMS,
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  passwordProblems,
  verifyAgainstDummy,
  verifyPassword,
} from './password.ts';

const TOO_SHORT = 'Password must be 8 characters or more';
const TOO_LONG = 'Password must be 256 characters or fewer';
const TOO_COMMON = 'Password is too common: choose one that other people are unlikely to use';
const IS_EMAIL = 'Password must not be your email address';

describe('hashPassword and verifyPassword', () => {
  it('hashes with argon2id at the ASVS parameters and a fresh salt each time', async () => {
    const a = await hashPassword('plain old password');
    const b = await hashPassword('plain old password');
    assert.match(a, /^\$argon2id\$v=19\$/);
    for (const part of ['m=19456', 't=2', 'p=1']) assert.ok(a.includes(part), `${part} in ${a}`);
    assert.notEqual(a, b);
    assert.deepEqual({ ...ARGON2_PARAMS }, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('Tr0ub4dor&3 plus more');
    assert.equal(await verifyPassword(hash, 'Tr0ub4dor&3 plus more'), true);
    assert.equal(await verifyPassword(hash, 'tr0ub4dor&3 plus more'), false);
  });

  it('round-trips a 64-character passphrase with emoji, byte for byte', async () => {
    const phrase = '🦊 the quick brown fox jumps over the lazy dog 🐶 — over and over!';
    assert.equal([...phrase].length, 64);
    const hash = await hashPassword(phrase);
    assert.equal(await verifyPassword(hash, phrase), true);
    // Nothing is trimmed: a trailing space is a different password.
    assert.equal(await verifyPassword(hash, `${phrase} `), false);
    // Nothing is normalised: é as one code point and as e + combining accent differ.
    const composed = 'caf\u00e9 au lait, s’il vous plaît';
    const decomposed = 'cafe\u0301 au lait, s’il vous plaît';
    assert.equal(await verifyPassword(await hashPassword(composed), decomposed), false);
    assert.equal(await verifyPassword(await hashPassword('   spaces count   '), 'spaces count'), false);
  });

  it('returns false, never throws, for missing or malformed hashes', async () => {
    const bad = [null, undefined, '', 'not a hash', '$2b$10$abcdefghijklmnopqrstuu', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$', '$argon2id$v=19$m=19456,t=2,p=1$@@@$###'];
    for (const hash of bad) assert.equal(await verifyPassword(hash, 'whatever it is'), false, String(hash));
    // Well-formed on the outside but a corrupt digest: argon2 itself fails, and we still answer false.
    const real = await hashPassword('some password here');
    assert.equal(await verifyPassword(real.slice(0, -10), 'some password here'), false);
  });
});

describe('verifyAgainstDummy', () => {
  it('uses a dummy hash made with exactly ARGON2_PARAMS', () => {
    assert.match(DUMMY_HASH, /^\$argon2id\$v=19\$/);
    for (const part of [`m=${ARGON2_PARAMS.memoryCost}`, `t=${ARGON2_PARAMS.timeCost}`, `p=${ARGON2_PARAMS.parallelism}`]) {
      assert.ok(DUMMY_HASH.includes(part), `DUMMY_HASH must be regenerated with ${part}`);
    }
    assert.equal(needsRehash(DUMMY_HASH), false);
  });

  it('resolves to false and takes about as long as a real verification', async () => {
    const hash = await hashPassword('a real password here');
    const timed = async (fn: () => Promise<unknown>) => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    await verifyPassword(hash, 'warm up');
    // Interleaved, so a busy machine slows all three kinds alike.
    let real = 0;
    let dummy = 0;
    let malformed = 0;
    for (let i = 0; i < 5; i++) {
      real += await timed(() => verifyPassword(hash, 'a wrong password'));
      dummy += await timed(async () => assert.equal(await verifyAgainstDummy('a wrong password'), false));
      malformed += await timed(() => verifyPassword('garbage', 'a wrong password'));
    }
    // Loose bounds for noise; skipping argon2 would be about a thousand times faster.
    assert.ok(dummy > real * 0.5 && dummy < real * 2, `real ${real.toFixed(1)} ms, dummy ${dummy.toFixed(1)} ms`);
    assert.ok(malformed > real * 0.5, `malformed hash answered in ${malformed.toFixed(1)} ms vs ${real.toFixed(1)} ms`);
  });
});

describe('needsRehash', () => {
  const at = (params: { type?: 0 | 1 | 2; memoryCost: number; timeCost: number; parallelism: number }) =>
    argon2.hash('x'.repeat(10), { type: params.type ?? argon2.argon2id, ...params });

  it('is false at the current parameters and above them', async () => {
    assert.equal(needsRehash(await hashPassword('current params')), false);
    assert.equal(needsRehash(await at({ memoryCost: 32768, timeCost: 3, parallelism: 1 })), false);
  });

  it('is true below the parameters, for other variants and for unreadable hashes', async () => {
    assert.equal(needsRehash(await at({ memoryCost: 8192, timeCost: 2, parallelism: 1 })), true);
    assert.equal(needsRehash(await at({ memoryCost: 19456, timeCost: 1, parallelism: 1 })), true);
    assert.equal(needsRehash(await at({ type: argon2.argon2i, memoryCost: 19456, timeCost: 2, parallelism: 1 })), true);
    assert.equal(needsRehash('$argon2id$v=16$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g'), true);
    assert.equal(needsRehash('$2b$10$abcdefghijklmnopqrstuu'), true);
    assert.equal(needsRehash(''), true);
  });
});

describe('passwordProblems', () => {
  it('accepts long, uncommon passwords of any characters, with no composition rules', () => {
    for (const ok of ['correct horse battery staple', 'alllowercaseletters', '🦊🐶🐱🐭🐹🐰🦝🐻', 'пароль-который-длинный', '        ', 'x'.repeat(256)]) {
      assert.deepEqual(passwordProblems(ok), [], ok);
    }
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    assert.deepEqual(passwordProblems('🦊🐶🐱🐭🐹🐰🦝'), [TOO_SHORT]); // 7 emoji, 14 UTF-16 units
    assert.deepEqual(passwordProblems('🦊'.repeat(256)), []);
    assert.deepEqual(passwordProblems('🦊'.repeat(257)), [TOO_LONG]);
  });

  it('enforces 8 to 256 characters', () => {
    assert.deepEqual(passwordProblems(''), ['Enter a password']);
    assert.deepEqual(passwordProblems('xk3#vq9'), [TOO_SHORT]);
    assert.deepEqual(passwordProblems('xk3#vq9z'), []);
    assert.deepEqual(passwordProblems('x'.repeat(257)), [TOO_LONG]);
  });

  it('refuses common passwords whatever their case, and says so for short ones too', () => {
    for (const common of ['password', 'PASSWORD1', 'Qwertyuiop', 'iloveyou1', 'liverpool1', 'trustno1', ' password1 ', 'SafeCommunities']) {
      assert.deepEqual(passwordProblems(common), [TOO_COMMON], common);
    }
    assert.deepEqual(passwordProblems('letmein'), [TOO_SHORT, TOO_COMMON]);
  });

  it('loads a list of at least 10,000 common passwords once', () => {
    assert.ok(commonPasswordCount() >= 10_000, `only ${commonPasswordCount()}`);
    assert.equal(isCommonPassword('123456789'), true);
    assert.equal(isCommonPassword('tabby-otter-lantern-92'), false);
  });

  it('refuses the person’s own email address (or its first part) and name', () => {
    const context = { email: 'Jo.Bloggs@Example.org', displayName: 'Josephine Bloggs' };
    assert.deepEqual(passwordProblems('jo.bloggs@example.org', context), [IS_EMAIL]);
    assert.deepEqual(passwordProblems('JO.BLOGGS@EXAMPLE.ORG', context), [IS_EMAIL]);
    assert.deepEqual(passwordProblems('jo.bloggs', context), [IS_EMAIL]);
    assert.deepEqual(passwordProblems('Josephine Bloggs', context), ['Password must not be your name']);
    assert.deepEqual(passwordProblems('josephinebloggs', context), ['Password must not be your name']);
    assert.deepEqual(passwordProblems('jo.bloggs@example.org and more', context), []);
    assert.deepEqual(passwordProblems('jo.bloggs@example.org'), []);
  });
});
