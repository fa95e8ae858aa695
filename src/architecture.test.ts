/**
 * The import rules of .dependency-cruiser.cjs (docs/ARCHITECTURE.md): no import
 * circles, type-only imports included, and the lower layers (store/, geo/, audit/,
 * throttle/) never import a feature. A failure lists every circle and violation.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = fileURLToPath(new URL('..', import.meta.url));

function describe(violation: IViolation): string {
  const line = `${violation.rule.name}: ${violation.from} → ${violation.to}`;
  const cycle = violation.cycle?.map((step) => step.name);
  return cycle && cycle.length > 0 ? `${line}\n    circle: ${[violation.from, ...cycle].join(' → ')}` : line;
}

it('src/ has no import circles and keeps its layers', async () => {
  const previous = process.cwd();
  process.chdir(root);
  let result: ICruiseResult;
  try {
    const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
    const output = await cruise(['src'], options, undefined, { tsConfig: extractTSConfig('tsconfig.json') });
    result = output.output as ICruiseResult;
  } finally {
    process.chdir(previous);
  }

  // A cruise that found nothing would pass; make sure it read the sources, types included.
  const context = result.modules.find((module) => module.source === 'src/app-context.ts');
  assert.ok(result.summary.totalCruised > 300, `only ${result.summary.totalCruised} modules cruised`);
  assert.ok(
    context?.dependencies.some((dependency) => dependency.resolved === 'src/store/store.ts' && dependency.dependencyTypes.includes('type-only')),
    'type-only imports were not cruised',
  );

  const problems = result.summary.violations.map(describe);
  assert.equal(problems.length, 0, `${problems.length} import rule violations (.dependency-cruiser.cjs):\n  ${problems.join('\n  ')}`);
});
