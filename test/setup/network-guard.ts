// Installed by jest (setupFilesAfterEnv) in every test file: any non-loopback connect or DNS
// lookup made during a test fails that test, even if the code under test swallowed the error.
const guard = require('../../scripts/network-guard.cjs') as {
  install(): { violations: string[] };
};

const state = guard.install();

afterEach(() => {
  if (state.violations.length > 0) {
    const seen = state.violations.splice(0);
    throw new Error(`network guard: this test tried to leave the machine:\n${seen.join('\n')}`);
  }
});
