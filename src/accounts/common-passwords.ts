/**
 * The list of passwords that attackers try first (ASVS 6.2.4, NIST SP 800-63B
 * §3.1.1.2): the 49,233 most common passwords from leaked password sets, ranked,
 * as shipped offline by @zxcvbn-ts/language-common (MIT). Matching is
 * case-insensitive because attackers try "Password1" as readily as "password1".
 */
import { createRequire } from 'node:module';

// The package is CommonJS without an `exports` map; require() lets the list load
// synchronously on first use, so passwordProblems() can stay synchronous and
// processes that never check a password (the importer, the CLI) never pay for it.
const require = createRequire(import.meta.url);

interface LanguageCommon {
  dictionary: { 'passwords-common': string[] };
}

let common: Set<string> | undefined;

function commonSet(): Set<string> {
  if (common === undefined) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as LanguageCommon;
    common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
    // Words tied to this service are the first an attacker aiming at it would try.
    for (const word of SERVICE_WORDS) common.add(word);
  }
  return common;
}

/** Context-specific words (NIST SP 800-63B): the service's own name, spelt as people type it. */
const SERVICE_WORDS = ['safecommunities', 'safe communities', 'safe-communities', 'safe_communities', 'safecommunity', 'safe community'];

/**
 * True when the password, ignoring case, is on the common-password list. Also
 * true when it only differs from a listed one by surrounding spaces, which add
 * nothing an attacker would not try.
 */
export function isCommonPassword(plain: string): boolean {
  const set = commonSet();
  const lower = plain.toLowerCase();
  return set.has(lower) || set.has(lower.trim());
}

/** How many distinct passwords the list holds (loads it if needed). */
export function commonPasswordCount(): number {
  return commonSet().size;
}
