// One lint configuration for the whole tree: typescript-eslint's type-checked
// rules (unsafe `any`, floating promises, unused code), with formatting left to Prettier.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'src/site/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    rules: {
      // Fastify handlers and plugins are async by contract, whether or not they await.
      '@typescript-eslint/require-await': 'off',
      // Refusing control characters in input is done with regular expressions on purpose.
      'no-control-regex': 'off',
      // A leading underscore marks a parameter or a destructured part that is left out on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // node:test's describe and it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
    },
  },
  {
    // A test reads response bodies as parsed JSON, whose shape the test itself asserts.
    files: ['**/*.test.ts', '**/*.test-helper.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  { files: ['**/*.js', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['scripts/**/*.js', 'bin/**/*.js', '*.js', '*.cjs'], languageOptions: { globals: globals.node } },
  { files: ['src/site/browser/**/*.js'], languageOptions: { globals: globals.browser } },
  prettier,
);
