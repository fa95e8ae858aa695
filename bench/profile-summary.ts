/**
 * Summarises a V8 CPU profile (from `node --cpu-prof`): self time by function and
 * by file, so "where does the time go" has an answer without opening DevTools.
 * Usage: node --import tsx bench/profile-summary.ts PROFILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [path, topText] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: node --import tsx bench/profile-summary.ts PROFILE.cpuprofile [TOP]\n');
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
// Each sample's time delta is charged to the node that was on top of the stack.
profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
const total = [...selfMs.values()].reduce((s, v) => s + v, 0);

function shortUrl(url: string): string {
  const i = url.indexOf('node_modules/');
  if (i >= 0) return url.slice(i + 'node_modules/'.length);
  const j = url.indexOf('/src/');
  if (j >= 0) return url.slice(j + 1);
  const k = url.indexOf('/bench/');
  return k >= 0 ? url.slice(k + 1) : url || '(native)';
}

function table(key: (n: ProfileNode) => string): [string, number][] {
  const sums = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (!node) continue;
    const k = key(node);
    sums.set(k, (sums.get(k) ?? 0) + ms);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, top);
}

const line = ([k, ms]: [string, number]) => `${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${k}`;
process.stdout.write(`total sampled ${total.toFixed(0)} ms\n\nself time by function:\n`);
process.stdout.write(table((n) => `${n.callFrame.functionName || '(anonymous)'}  ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`).map(line).join('\n') + '\n');
process.stdout.write('\nself time by file or package:\n');
process.stdout.write(
  table((n) => {
    const u = shortUrl(n.callFrame.url);
    return u.includes('/') && !u.startsWith('node:') ? u.split('/').slice(0, u.startsWith('src/') || u.startsWith('bench/') ? 3 : 1).join('/') : u;
  })
    .map(line)
    .join('\n') + '\n',
);
