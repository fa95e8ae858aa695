// The import rules of src/, checked by src/architecture.test.ts (run by npm test); see
// docs/ARCHITECTURE.md. Type-only imports count: a circle through `import type` is a circle.
// Try it by hand: npx depcruise src --config .dependency-cruiser.cjs

// The lower layers, which features build on. Allowed directions among them:
// audit → store, throttle;  throttle → store;  geo → nothing;  store → nothing.
const LOWER = 'store|geo|audit|throttle';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lower-layers-import-no-features',
      severity: 'error',
      comment: 'store/, geo/, audit/ and throttle/ may import each other (in the directions below), errors.ts and config.ts, but never a feature folder or app.ts.',
      from: { path: `^src/(${LOWER})/` },
      to: { path: '^src/', pathNot: [`^src/(${LOWER})/`, '^src/(errors|config)[.]ts$'] },
    },
    {
      name: 'store-imports-no-other-layer',
      severity: 'error',
      comment: 'store/ is the bottom layer.',
      from: { path: '^src/store/' },
      to: { path: '^src/(geo|audit|throttle)/' },
    },
    {
      name: 'geo-imports-no-other-layer',
      severity: 'error',
      comment: 'geo/ is geometry only.',
      from: { path: '^src/geo/' },
      to: { path: '^src/(store|audit|throttle)/' },
    },
    {
      name: 'throttle-imports-only-store',
      severity: 'error',
      comment: 'audit/ uses throttle/ (counting refusals), not the other way round.',
      from: { path: '^src/throttle/' },
      to: { path: '^src/(audit|geo)/' },
    },
    {
      name: 'audit-imports-no-geo',
      severity: 'error',
      comment: 'audit/ imports store/ and throttle/ only.',
      from: { path: '^src/audit/' },
      to: { path: '^src/geo/' },
    },
    {
      name: 'app-context-imports-types-only',
      severity: 'error',
      comment: 'src/app-context.ts names the types of what app.ctx holds; it loads no code.',
      from: { path: '^src/app-context[.]ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'app-context-imports-no-features',
      severity: 'error',
      comment: 'src/app-context.ts may name the store, the config and the two shared caches, nothing else.',
      from: { path: '^src/app-context[.]ts$' },
      to: {
        path: '^src/',
        pathNot: ['^src/store/', '^src/(config|errors)[.]ts$', '^src/api/data-release[.]ts$', '^src/crime/month-index[.]ts$'],
      },
    },
    {
      name: 'only-entry-points-import-app',
      severity: 'error',
      comment: 'Features name src/app-context.ts, never src/app.ts; only the commands and test helpers build the app.',
      from: { path: '^src/', pathNot: ['^src/cli/', '[.]test[.]ts$', 'test[.-]helper[.]ts$'] },
      to: { path: '^src/app[.]ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
