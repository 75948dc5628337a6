// Lint rules, including the layering described in the README (Architecture): only main/electron/
// and preload/ may import electron, and main/core/ stays pure (no node: modules, no electron) so it
// runs anywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronOnly = {
  name: 'electron',
  message: 'Only main/electron/ and preload/ may import electron (see README, Architecture).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'renderer/dist/**', 'coverage/**', 'test-results/**', 'release/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [electronOnly], patterns: [{ group: ['electron/*'], message: electronOnly.message }] }],
    },
  },
  {
    files: ['main/core/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            { group: ['node:*'], message: 'main/core/ is pure logic: no node: modules.' },
            { group: ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net'], message: 'main/core/ is pure logic: no Node built-ins.' },
            { group: ['electron/*', '../vault/*', '../webflow/*', '../services/*', '../cli/*', '../electron/*'], message: 'main/core/ depends on nothing else in main/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/electron/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
