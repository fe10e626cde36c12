import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '../..');

describe('network guard inside jest', () => {
  it('fails a test that reached for a non-loopback address even when the test swallowed the error', () => {
    const run = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--rootDir', repoRoot, '--roots', '<rootDir>/test/fixtures/guard',
        '--testMatch', '**/leaky.fixture.ts', '--ci', '--no-cache'],
      { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status).toBe(1);
    expect(output).toContain('network guard: this test tried to leave the machine');
    expect(output).toContain('169.254.169.254');
  });
});
