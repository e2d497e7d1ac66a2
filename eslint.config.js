// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'crypto',
  'os',
  'child_process',
  'http',
  'url',
  'zlib',
  'stream',
];

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '.tmp/**', 'packages/server/drizzle/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']",
          message: 'Focused tests hide the rest of the suite.',
        },
      ],
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
  // Dependency boundaries: core is pure (no DOM, no Node); server never imports web or tasks;
  // web reaches the server only over HTTP.
  {
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'packages/core is pure TypeScript: no Node APIs.' },
            { group: ['@dystrack/*'], message: 'packages/core imports no other package.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...[
          'window',
          'document',
          'navigator',
          'performance',
          'process',
          'Buffer',
          'localStorage',
          'indexedDB',
        ].map((name) => ({ name, message: 'packages/core has no DOM and no Node globals.' })),
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@dystrack/web', '@dystrack/tasks', '@dystrack/cli'],
              message: 'server analyses through core only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/tasks/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'tasks run in the browser.' },
            {
              group: ['@dystrack/server', '@dystrack/web', '@dystrack/cli'],
              message: 'tasks import core only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'web runs in the browser.' },
            {
              group: ['@dystrack/server', '@dystrack/cli'],
              message: 'web reaches the server over HTTP only.',
            },
          ],
        },
      ],
    },
  },
);
