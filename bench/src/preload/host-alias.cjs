'use strict';
/**
 * Answers ONE host name (process.env.BENCH_HOST_ALIAS, which must end with
 * `.applicationinsights.azure.com`) as 127.0.0.1, inside this process only, so that the official
 * exporter sees an "Azure ingestion host" and gzips its requests, while every byte still goes to
 * the loopback sink. /etc/hosts is never touched.
 *
 * Load order matters: preload this AFTER scripts/network-guard.cjs
 * (`node --require network-guard.cjs --require host-alias.cjs`). This wrapper then sits outside
 * the guard: a connect/lookup for the alias is rewritten to 127.0.0.1 before the guard sees it,
 * and everything else falls through to the guard unchanged, so any other non-loopback
 * connection or DNS lookup is still refused (and printed as "NETWORK GUARD ...").
 */
const net = require('node:net');
const dns = require('node:dns');

const GUARD_KEY = Symbol.for('appinsights-otel.network-guard');
const ALIAS = String(process.env.BENCH_HOST_ALIAS ?? '').toLowerCase();
const TARGET = '127.0.0.1';

if (!globalThis[GUARD_KEY]) {
  // Refuse to run outside the guard: the alias must never be the only safety net.
  process.stderr.write('host-alias.cjs: the network guard must be preloaded first\n');
  process.exit(87);
}
if (!ALIAS.endsWith('.applicationinsights.azure.com')) {
  process.stderr.write('host-alias.cjs: BENCH_HOST_ALIAS must end with .applicationinsights.azure.com\n');
  process.exit(87);
}

const isAlias = (host) => typeof host === 'string' && host.toLowerCase().replace(/\.+$/, '') === ALIAS;

const guardedConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function aliasConnect(...args) {
  let opts = args[0];
  const normalized = Array.isArray(opts);
  if (normalized) opts = opts[0];
  if (opts !== null && typeof opts === 'object' && isAlias(opts.host)) {
    // A copy: tls.connect keeps its own options (host/servername) for certificate checks.
    const rewritten = { ...opts, host: TARGET };
    if (normalized) {
      // Keep node's internal "already normalized" symbol marker on the array.
      const copy = args[0].slice();
      for (const sym of Object.getOwnPropertySymbols(args[0])) copy[sym] = args[0][sym];
      copy[0] = rewritten;
      args[0] = copy;
    } else {
      args[0] = rewritten;
    }
  } else if (typeof args[1] === 'string' && isAlias(args[1])) {
    args[1] = TARGET; // connect(port, host[, cb])
  }
  return guardedConnect.apply(this, args);
};

function answer(options, cb) {
  const all = options !== null && typeof options === 'object' && options.all === true;
  process.nextTick(() => (all ? cb(null, [{ address: TARGET, family: 4 }]) : cb(null, TARGET, 4)));
}

const guardedLookup = dns.lookup;
dns.lookup = function aliasLookup(hostname, options, cb) {
  if (isAlias(hostname)) {
    if (typeof options === 'function') return answer({}, options);
    return answer(options, cb);
  }
  return guardedLookup.apply(this, arguments);
};
const guardedPromiseLookup = dns.promises.lookup;
dns.promises.lookup = function aliasPromiseLookup(hostname, options) {
  if (isAlias(hostname)) {
    const all = options !== null && typeof options === 'object' && options.all === true;
    return Promise.resolve(all ? [{ address: TARGET, family: 4 }] : { address: TARGET, family: 4 });
  }
  return guardedPromiseLookup.apply(this, arguments);
};
