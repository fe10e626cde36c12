/** `BENCH_APP_PIN=1` of `npm run bench:app`: which CPUs the app and the rest get, and the taskset call. */
import * as path from 'node:path';

const APP = path.join(__dirname, '..', '..', 'bench', 'src', 'app');
const { pinningPlan, pinProcess } = require(path.join(APP, 'cpu-pinning.js')) as {
  pinningPlan(env: Record<string, string | undefined>, cpus: number): { app: string; rest: string } | undefined;
  pinProcess(pid: number, cpuList: string, run: (file: string, args: string[], options: object) => void): void;
};

describe('bench:app CPU pinning', () => {
  it.each([
    ['off by default', {}, 2, undefined],
    ['off unless exactly 1', { BENCH_APP_PIN: 'yes' }, 2, undefined],
    ['2 CPUs: the app on 0, the rest on 1', { BENCH_APP_PIN: '1' }, 2, { app: '0', rest: '1' }],
    ['8 CPUs: the app on 0, the rest on 1-7', { BENCH_APP_PIN: '1' }, 8, { app: '0', rest: '1-7' }],
  ] as [string, Record<string, string>, number, { app: string; rest: string } | undefined][])('%s', (_title, env, cpus, expected) => {
    expect(pinningPlan(env, cpus)).toEqual(expected);
  });

  it('refuses to pin on one CPU, saying why', () => {
    expect(() => pinningPlan({ BENCH_APP_PIN: '1' }, 1)).toThrow(/at least 2 CPUs/);
  });

  it('pins every thread of the process with taskset', () => {
    const calls: [string, string[]][] = [];
    pinProcess(4242, '1-7', (file, args) => { calls.push([file, args]); });
    expect(calls).toEqual([['taskset', ['--all-tasks', '--cpu-list', '--pid', '1-7', '4242']]]);
  });
});
