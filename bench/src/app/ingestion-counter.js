'use strict';
/**
 * Counts, at the TLS front, the ingestion requests (POST .../track) a run sent and how many of them
 * were gzip-encoded, so that the report can show which variants compress (both distros should, as
 * in production). Live Metrics requests are not counted: neither distro compresses them.
 */

/** @returns {{ count(req: { method?: string, url?: string, headers: object }): void, take(): { requests: number, gzip: number } }} */
function ingestionCounter() {
  let counts = { requests: 0, gzip: 0 };
  return {
    count(req) {
      if (req.method !== 'POST' || !/\/track(\?|$)/.test(req.url ?? '')) return;
      counts.requests++;
      if (String(req.headers['content-encoding'] ?? '').trim().toLowerCase() === 'gzip') counts.gzip++;
    },
    /** The counts since the last take(), and starts again from zero. */
    take() {
      const taken = counts;
      counts = { requests: 0, gzip: 0 };
      return taken;
    },
  };
}

module.exports = { ingestionCounter };
