/**
 * The guides every site starts with: Markdown files in ./guides/, each opening with
 * a short header of `title:` and `summary:` between `---` lines. They are read when
 * the store has no guides (signs.service.ts seeds them), so a real force's site gets
 * them as well as the demo's; after that, content editors change them in the store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('./guides/', import.meta.url));

/** The default guides' slugs, in the order /signs lists them. */
export const DEFAULT_GUIDE_SLUGS = ['modern-slavery', 'child-exploitation', 'county-lines', 'fraud-and-scams', 'cyber-crime'] as const;

export interface DefaultGuide {
  slug: string;
  title: string;
  summary: string;
  body: string;
}

/** Reads one guide file's header and body; throws naming the file when the header is missing. */
export function parseGuideFile(slug: string, text: string): DefaultGuide {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
  if (!match) throw new Error(`Guide ${slug}.md has no header (title and summary between --- lines)`);
  const header = new Map<string, string>();
  for (const line of match[1]!.split('\n')) {
    const field = /^([a-z]+):\s*(.*)$/.exec(line);
    if (field) header.set(field[1]!, field[2]!.trim());
  }
  const title = header.get('title');
  const summary = header.get('summary');
  if (!title || !summary) throw new Error(`Guide ${slug}.md needs both title and summary in its header`);
  return { slug, title, summary, body: match[2]!.trim() + '\n' };
}

export function loadDefaultGuides(): DefaultGuide[] {
  return DEFAULT_GUIDE_SLUGS.map((slug) => parseGuideFile(slug, readFileSync(join(folder, `${slug}.md`), 'utf8')));
}
