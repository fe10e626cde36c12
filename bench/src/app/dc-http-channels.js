'use strict';
/**
 * Which `node:http` diagnostics_channel events this Node publishes, and when: prints every event of
 * the http channels for a keep-alive round trip, an aborted request and a refused connection, with
 * what a subscriber can still do at that moment (set a request header? is the server's response
 * already sent? which AsyncLocalStorage store is active?). Loopback only.
 *
 *   node bench/src/app/dc-http-channels.js
 *
 * On Node 20.20 it shows (see dc-http-spans.js for what follows from it):
 * - `http.client.request.start` comes from ClientRequest#_finish, after the request headers were
 *   rendered AND written to the socket (`_headerSent` true, `setHeader` throws ERR_HTTP_HEADERS_SENT),
 *   even for a refused connection: no `traceparent` can be injected from it;
 * - `http.client.response.finish` comes at the response HEADERS (before the 'response' event,
 *   `response.complete` false), not at the end of the body;
 * - `http.client.request.error` comes before the request's 'error' event (refused, reset, aborted);
 * - `http.server.request.start` comes before the server's 'request' event, synchronously in the
 *   parser's callback, response not sent: `enterWith` there is seen by the 'request' listener and
 *   everything it starts; the store stays on the connection's HTTPServerAsyncResource after it, so
 *   the next request on that keep-alive connection starts with the previous request's store;
 * - `http.server.response.finish` comes at the response's 'finish'; a request whose client goes away
 *   before an answer publishes nothing (no server error or abort channel on Node 20).
 */
const dc = require('node:diagnostics_channel');
const http = require('node:http');
const { AsyncLocalStorage, executionAsyncResource } = require('node:async_hooks');

const CHANNELS = ['http.server.request.start', 'http.server.response.finish', 'http.client.request.start', 'http.client.response.finish', 'http.client.request.error'];
const als = new AsyncLocalStorage();
const log = (...parts) => console.log(...parts);
let served = 0;

function trySetHeader(request) {
  try { request.setHeader('x-late', '1'); return 'ok'; } catch (e) { return e.code; }
}

const subscribers = {
  'http.server.request.start': ({ request, response }) => {
    log(`server.request.start  ${request.url} headersSent=${response.headersSent} store-before=${JSON.stringify(als.getStore())} resource=${executionAsyncResource().constructor.name}`);
    als.enterWith({ request: ++served });
  },
  'http.server.response.finish': ({ request, response }) => log(`server.response.finish ${request.url} ${response.statusCode} store=${JSON.stringify(als.getStore())}`),
  'http.client.request.start': ({ request }) => log(`client.request.start  ${request.path} headerSent=${request._headerSent} setHeader=${trySetHeader(request)} store=${JSON.stringify(als.getStore())}`),
  'http.client.response.finish': ({ request, response }) => log(`client.response.finish ${request.path} ${response.statusCode} complete=${response.complete}`),
  'http.client.request.error': ({ request, error }) => log(`client.request.error  ${request.path} ${error.code}`),
};

const server = http.createServer((req, res) => {
  log(`server 'request'       ${req.url} store=${JSON.stringify(als.getStore())}`);
  setTimeout(() => {
    log(`  timer in handler     ${req.url} store=${JSON.stringify(als.getStore())}`);
    if (req.url !== '/never-answered') res.end('ok');
  }, 5);
});
const agent = new http.Agent({ keepAlive: true });

function get(path, abortAfterMillis, port = server.address().port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      log(`client 'response'      ${path} ${res.statusCode}`);
      res.resume();
      res.on('end', () => log(`client response 'end'  ${path}`));
    });
    req.on('error', (e) => log(`client 'error'         ${path} ${e.code}`));
    req.on('close', () => { log(`client 'close'         ${path}`); resolve(); });
    if (abortAfterMillis) setTimeout(() => req.destroy(), abortAfterMillis);
  });
}

async function main() {
  log(`node ${process.version}`);
  for (const name of CHANNELS) dc.subscribe(name, subscribers[name]);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  await als.run({ caller: 'a' }, () => get('/a'));
  await get('/b');
  await get('/never-answered', 20);
  await get('/refused', 0, 1);
  server.closeAllConnections();
  server.close();
  agent.destroy();
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
