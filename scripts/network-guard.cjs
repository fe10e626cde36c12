'use strict';
/**
 * Loopback-only network guard.
 *
 * Covers TCP and TLS (net.Socket#connect, which http, https, undici and fetch use), UDP
 * (dgram send/connect) and DNS (dns and dns.promises lookup/resolve*).
 *
 * Loaded by jest (test/setup/network-guard.ts) and preloaded into every child process that a
 * test, the demo or the benchmark starts (`node --require scripts/network-guard.cjs`, or
 * NODE_OPTIONS). It refuses any TCP/TLS connect and any DNS lookup whose target is not loopback
 * (127.0.0.0/8, ::1, localhost) and records each attempt so the test that caused it fails.
 *
 * In a child process (no jest), AI_NETWORK_GUARD=fatal makes a violation exit the process with
 * code 86 after printing the target; the default is to refuse the connection and print a line
 * starting with "NETWORK GUARD". A test that provokes refusals on purpose sets `state.quiet = true`
 * (on the object `install()` returns): they are still recorded in `state.violations`, which the
 * test checks and clears, but not printed, so a passing run prints no NETWORK GUARD line.
 */
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');

const GUARD_KEY = Symbol.for('appinsights-otel.network-guard');
const MARKER = 'NETWORK GUARD';

function isLoopbackHost(host) {
  if (host === undefined || host === null || host === '') return true; // node defaults to localhost
  let h = String(host).toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (h.startsWith('::ffff:')) h = h.slice(7);
  if (net.isIPv4(h)) return h.split('.')[0] === '127';
  return false;
}

function install() {
  if (globalThis[GUARD_KEY]) return globalThis[GUARD_KEY];
  const state = { violations: [], quiet: false };
  globalThis[GUARD_KEY] = state;
  const fatal = process.env.AI_NETWORK_GUARD === 'fatal';

  function violation(what) {
    const message = `${MARKER}: refused ${what}: only loopback (127.0.0.0/8, ::1, localhost) may be reached`;
    state.violations.push(message);
    if (!state.quiet) {
      try { process.stderr.write(message + '\n'); } catch { /* ignore */ }
    }
    if (fatal) process.exit(86);
    const err = new Error(message);
    err.code = 'ENETGUARD';
    return err;
  }

  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    let opts = args[0];
    if (Array.isArray(opts)) opts = opts[0]; // internal normalized form
    let host; let path;
    if (opts !== null && typeof opts === 'object') { host = opts.host; path = opts.path; }
    else if (typeof opts === 'string' && Number.isNaN(Number(opts))) { path = opts; }
    else { host = typeof args[1] === 'string' ? args[1] : undefined; }
    if (path === undefined && !isLoopbackHost(host)) {
      const err = violation(`connect to ${host}`);
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return originalConnect.apply(this, args);
  };

  // UDP: a datagram to a non-loopback address is refused the same way.
  const originalSend = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(msg, ...rest) {
    const address = rest.find((a) => typeof a === 'string');
    if (!isLoopbackHost(address)) {
      const err = violation(`UDP send to ${address}`);
      const cb = rest.find((a) => typeof a === 'function');
      if (cb) process.nextTick(() => cb(err));
      return undefined;
    }
    return originalSend.call(this, msg, ...rest);
  };
  const originalUdpConnect = dgram.Socket.prototype.connect;
  dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, ...rest) {
    const host = typeof address === 'string' ? address : undefined;
    if (!isLoopbackHost(host)) {
      const err = violation(`UDP connect to ${host}`);
      process.nextTick(() => this.emit('error', err));
      return undefined;
    }
    return originalUdpConnect.call(this, port, address, ...rest);
  };

  // Binding to the unspecified address (0.0.0.0, ::) resolves it first; that reaches no one.
  const isLocalName = (h) => isLoopbackHost(h) || h === '0.0.0.0' || h === '::';
  const guardLookup = (original, name) => function guarded(hostname, ...rest) {
    if (!isLocalName(hostname)) {
      const err = violation(`DNS ${name}(${hostname})`);
      const cb = rest.find((a) => typeof a === 'function');
      if (cb) { process.nextTick(() => cb(err)); return undefined; }
      return Promise.reject(err);
    }
    return original.call(this, hostname, ...rest);
  };
  for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
    if (typeof dns[fn] === 'function') dns[fn] = guardLookup(dns[fn], fn);
    if (dns.promises && typeof dns.promises[fn] === 'function') dns.promises[fn] = guardLookup(dns.promises[fn], fn);
  }
  return state;
}

module.exports = { install, isLoopbackHost, MARKER, GUARD_KEY };
if (require.main !== module) install();
