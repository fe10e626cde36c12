'use strict';
/** Measurement helpers shared by the child processes. */
const { setInterval, clearInterval } = require('node:timers');

const RSS_SAMPLE_INTERVAL_MILLIS = 5;

/** Samples process RSS on an interval (and on demand); reports the peak above a baseline. */
function createRssSampler() {
  if (typeof globalThis.gc === 'function') { globalThis.gc(); globalThis.gc(); } // --expose-gc: a settled baseline
  const baselineBytes = process.memoryUsage.rss();
  let peakBytes = baselineBytes;
  let samples = 0;
  const sample = () => {
    const rss = process.memoryUsage.rss();
    samples += 1;
    if (rss > peakBytes) peakBytes = rss;
  };
  const timer = setInterval(sample, RSS_SAMPLE_INTERVAL_MILLIS);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return { baselineBytes, peakBytes, peakIncreaseBytes: peakBytes - baselineBytes, samples };
    },
  };
}

/** Starts a wall + CPU (user+system, whole process) stopwatch. */
function startStopwatch() {
  const wall0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  return {
    stop() {
      const wallMillis = Number(process.hrtime.bigint() - wall0) / 1e6;
      const cpu = process.cpuUsage(cpu0);
      return { wallMillis, cpuMicros: cpu.user + cpu.system, userMicros: cpu.user, systemMicros: cpu.system };
    },
  };
}

/** Resolves with `promise`, or rejects after `millis` (the timer is unref'd). */
function withTimeout(promise, millis, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${millis} ms`)), millis); timer.unref(); }),
  ]).finally(() => clearTimeout(timer));
}

module.exports = { createRssSampler, startStopwatch, withTimeout };
