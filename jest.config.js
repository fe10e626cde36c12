/** @type {import('jest').Config} */
const packages = ['core', 'exporter-trace', 'exporter-metric', 'exporter-logs', 'browser-relay', 'query', 'emulator', 'distro'];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/test'],
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/network-guard.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  moduleNameMapper: {
    ...Object.fromEntries(packages.map((p) => [`^@appinsights-otel/${p}$`, `<rootDir>/packages/${p}/src/index.ts`])),
    '^@appinsights-otel/core/internal$': '<rootDir>/packages/core/src/internal.ts',
    '^@appinsights-otel/test-support$': '<rootDir>/test/support/src/index.ts',
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
