'use strict';
/**
 * The load generator, in its own process so it neither shares the app's CPU account nor the
 * parent's event loop: autocannon against BENCH_LOAD_URL for BENCH_LOAD_SECONDS with
 * BENCH_LOAD_CONNECTIONS connections; sends the summary over IPC and exits.
 */
const autocannon = require('autocannon');

autocannon({
  url: process.env.BENCH_LOAD_URL,
  connections: Number(process.env.BENCH_LOAD_CONNECTIONS ?? 10),
  duration: Number(process.env.BENCH_LOAD_SECONDS ?? 10),
}, (error, result) => {
  if (error) {
    process.send({ error: String(error) }, () => process.exit(1));
    return;
  }
  process.send({
    requests: result.requests.total,
    requestsPerSecond: result.requests.total / Math.max(0.001, (new Date(result.finish) - new Date(result.start)) / 1000),
    latencyP50Millis: result.latency.p50,
    latencyP99Millis: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  }, () => process.exit(0));
});

// Never outlive the bench: when the parent goes (IPC closed), so do we.
process.on('disconnect', () => process.exit(0));
