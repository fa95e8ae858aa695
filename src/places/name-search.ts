/**
 * Ranking for neighbourhood name search: the closer a name is to what was
 * typed, the higher it comes, so the likely answer heads a long list.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { neighbourhoodsNamedLike, type NamedNeighbourhood } from './places.repository.ts';

function fold(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** 0 the whole name, 1 its start, 2 the start of a word in it, 3 anywhere. */
function closeness(name: string, wanted: string): number {
  const n = fold(name);
  if (n === wanted) return 0;
  if (n.startsWith(wanted)) return 1;
  const at = n.indexOf(wanted);
  return at > 0 && /[^a-z0-9]/.test(n.charAt(at - 1)) ? 2 : 3;
}

/**
 * Neighbourhoods of every force whose name contains `text` (any case), best
 * first: closeness, then listed forces, then shorter names, then by name and force.
 * `exact` holds those whose whole name is `text`.
 */
export async function rankByName(db: Kysely<Database>, text: string): Promise<{ matches: NamedNeighbourhood[]; exact: NamedNeighbourhood[] }> {
  const wanted = fold(text);
  const scored = (await neighbourhoodsNamedLike(db, wanted)).map((n) => ({ n, score: closeness(n.name, wanted) }));
  scored.sort(
    (a, b) =>
      a.score - b.score ||
      Number(b.n.listed) - Number(a.n.listed) ||
      a.n.name.length - b.n.name.length ||
      a.n.name.localeCompare(b.n.name) ||
      a.n.forceName.localeCompare(b.n.forceName),
  );
  return { matches: scored.map((s) => s.n), exact: scored.filter((s) => s.score === 0).map((s) => s.n) };
}
