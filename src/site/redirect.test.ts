import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { asciiLocation } from './redirect.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.includes('test-helper') ? [path] : [];
  });
}


describe('redirects', () => {
  it('encode every character outside printable ASCII as UTF-8, keeping the rest', () => {
    assert.equal(asciiLocation('/map?month=2025-01&category=all-crime#x'), '/map?month=2025-01&category=all-crime#x');
    assert.equal(asciiLocation('/%E3%80%82'), '/%E3%80%82', 'existing escapes are kept');
    assert.equal(asciiLocation('/\u3002'), '/%E3%80%82');
    assert.equal(asciiLocation('/caf\u00e9 au lait'), '/caf%C3%A9%20au%20lait');
    assert.equal(asciiLocation('/a\r\nSet-Cookie: x=1'), '/a%0D%0ASet-Cookie:%20x=1');
    assert.equal(asciiLocation('/\ud800x\udc00'), '/%EF%BF%BDx%EF%BF%BD', 'lone surrogates');
    assert.equal(asciiLocation('/\ud83d\ude00'), '/%F0%9F%98%80', 'a surrogate pair is one character');
  });

  it('all go through redirect(), which makes the Location ASCII', () => {
    const direct: string[] = [];
    for (const file of sources('src')) {
      if (file === join('src', 'site', 'redirect.ts')) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/\.redirect\(/.test(line)) direct.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(direct, [], 'use redirect(reply, target, status) from src/site/redirect.ts');
  });
});
