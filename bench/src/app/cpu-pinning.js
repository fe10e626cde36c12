'use strict';
/**
 * Optional CPU pinning for `npm run bench:app` (`BENCH_APP_PIN=1`): the app process alone on one CPU,
 * everything else (this runner with the emulator and TLS front, the database and downstream, the
 * load generator) on the others. Without it, telemetry's receiving side (the emulator ingesting
 * thousands of items a second) competes with the app for the same cores and makes the app's own
 * system calls dearer, which counts against whichever variant sends telemetry. In production the
 * ingestion service is not on the app's machine. Linux only (`taskset`, util-linux); threads a
 * pinned process creates later inherit its CPU set.
 */
const { execFileSync } = require('node:child_process');
const os = require('node:os');

/** The CPU sets, or undefined when pinning is off. `cpus`: how many CPUs the machine has. */
function pinningPlan(env = process.env, cpus = os.availableParallelism()) {
  if (env.BENCH_APP_PIN !== '1') return undefined;
  if (cpus < 2) throw new Error('BENCH_APP_PIN=1 needs at least 2 CPUs (the app on one, everything else on the rest)');
  return { app: '0', rest: cpus === 2 ? '1' : `1-${cpus - 1}` };
}

/** Pins every thread of `pid` to `cpuList` (taskset's list syntax). */
function pinProcess(pid, cpuList, run = execFileSync) {
  run('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(pid)], { stdio: 'ignore' });
}

module.exports = { pinningPlan, pinProcess };
