// Mutation testing of the code that must never lose data (STYLE.md E16): `npm run mutation`.
// Not part of `npm test` or CI: it runs the suites once per mutant. On a shared machine keep the
// concurrency low; `npm run mutation:delivery` mutates packages/core/src/delivery only.
import baseJestConfig from './jest.config.js';

const TESTS = {
  delivery: ['<rootDir>/packages/core/test/delivery/**/*.test.ts', '<rootDir>/packages/core/test/export/**/*.test.ts'],
  transport: ['<rootDir>/packages/core/test/transport/**/*.test.ts'],
};

/** The Stryker config for `folders` of packages/core/src, with the test files that exercise them. */
export function mutationConfig(folders) {
  return {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'jest',
    coverageAnalysis: 'perTest',
    concurrency: 2,
    timeoutMS: 15_000,
    mutate: folders.map((f) => `packages/core/src/${f}/**/*.ts`),
    jest: {
      projectType: 'custom',
      enableFindRelatedTests: false,
      config: { ...baseJestConfig, testMatch: folders.flatMap((f) => TESTS[f]), maxWorkers: 1 },
    },
    ignorePatterns: ['bench', 'docs', 'reports', 'dist-packages', '**/dist', '.emulator-data', 'test/e2e'],
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${folders.join('-')}.html` },
    jsonReporter: { fileName: `reports/mutation/${folders.join('-')}.json` },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
  };
}

export default mutationConfig(['delivery', 'transport']);
