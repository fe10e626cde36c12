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
    // A test stalled by a mutant fails at jest's testTimeout (6 s) before Stryker's timeout, so the
    // mutant counts as killed without restarting the test runner.
    timeoutMS: 8_000,
    // A static mutant (a module-level constant) reruns every test: too slow for a shared machine.
    // They are listed as ignored in the report, never counted as killed.
    ignoreStatic: true,
    mutate: folders.map((f) => `packages/core/src/${f}/**/*.ts`),
    jest: {
      projectType: 'custom',
      // Only the test files that import the mutated file (jest --findRelatedTests): much less start-up per mutant.
      enableFindRelatedTests: true,
      // Only core and the jest setup are crawled: a smaller haste map per mutant run.
      config: { ...baseJestConfig, roots: ['<rootDir>/packages/core', '<rootDir>/test/setup'], testMatch: folders.flatMap((f) => TESTS[f]), maxWorkers: 1, testTimeout: 6_000 },
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
