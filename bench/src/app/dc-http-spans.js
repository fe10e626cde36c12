'use strict';
/**
 * BENCH-ONLY PROTOTYPE (issue 25), not product code: SERVER and CLIENT spans for `node:http` built
 * from the diagnostics_channel events Node 20 publishes, instead of the HTTP instrumentation's
 * patching of `http.request`, `http.get` and `Server.prototype.emit`. Same span names (the method),
 * kinds, status rules and attributes as `@opentelemetry/instrumentation-http` (stable semconv): the
 * attributes are computed by that package's own `utils` functions, so an A/B measures the mechanism,
 * not a cheaper attribute builder. What Node 20 publishes and when: dc-http-channels.js.
 *
 * SERVER (diagnostics_channel only, plus one listener):
 * - `http.server.request.start` (before the 'request' event): extract the W3C context from the
 *   headers, start the span, then make it the active context with the context manager's
 *   `attach()` (AsyncLocalStorage#enterWith on Node 20), so the 'request' listener and everything it
 *   starts (pg queries, outgoing http) are its children;
 * - `http.server.response.finish`: status code, route (from the RPC metadata express sets), status,
 *   end; a `response.on('close')` listener ends the span of a response that never finishes (client
 *   gone), as the instrumentation's 'close' listener does. No 'error' listener is added anywhere.
 *
 * What is UNSAFE about entering the context from the subscriber (enterWith): it is not scoped. The
 * store is set on the resource running the parser callback, which on Node 20 is the connection's
 * HTTPServerAsyncResource (one per connection); it stays there after the 'request' listener returns,
 * so whatever runs later in that resource's callbacks before our subscriber runs again sees this
 * request's span as active (dc-http-channels.js shows it for the next request on a keep-alive
 * connection): the start of the next request's parsing (Node resets the socket timeout there), and,
 * by reading Node's code (not tested), an 'upgrade' or CONNECT request after a keep-alive request,
 * which Node emits without publishing; spans started there, or by what they start, get a wrong
 * parent. `attach()` is marked experimental in @opentelemetry/context-async-hooks; a subscriber that
 * enters its own store after ours wins. The instrumentation instead wraps the emit in
 * `context.with()` (scoped) and binds the request and response emitters to the context
 * (`bindEmitters: true` here does the latter).
 *
 * CLIENT: Node 20's `http.client.request.start` is published after the request headers were written
 * (dc-http-channels.js), so `traceparent` cannot be injected from it. The prototype therefore wraps
 * ONE prototype method, `ClientRequest.prototype._implicitHeader` (called once per request, when the
 * headers are rendered: at `end()`, the first `write()` or `flushHeaders()`), to start the span in
 * the caller's context and `setHeader` the propagation headers; then
 * - `http.client.response.finish` (at the response headers): response attributes;
 * - `http.client.request.error`: error status and attributes (the request's 'error' follows);
 * - a `request.on('close')` listener ends the span (after the response's 'end', or after an error or
 *   abort), with the instrumentation's status rules.
 * Not covered: requests whose headers are stored in the constructor (`options.headers` given as an
 * array, or an `Expect` header): no span, no traceparent. Server address and port come from the
 * Host header Node sets (a user-set Host header wins, as it does on the wire).
 *
 * Optional `meter`: records `http.server.request.duration` and `http.client.request.duration` with
 * the instrumentation's metric attributes, so a variant with a MeterProvider compares like for like.
 */
const dc = require('node:diagnostics_channel');
const http = require('node:http');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const kServer = Symbol('dcHttpSpans.server');
const kClient = Symbol('dcHttpSpans.client');
const HEADER_SETTER = { set(request, key, value) { request.setHeader(key, value); } };
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
// the instrumentation's defaults (internal-types DEFAULT_QUERY_STRINGS_TO_REDACT)
const REDACTED_QUERY_PARAMS = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'];

/** The OpenTelemetry packages as the distro resolves them, and the HTTP instrumentation's attribute helpers. */
function loadDependencies(fromDistro) {
  const instrumentationDir = path.dirname(fromDistro.resolve('@opentelemetry/instrumentation-http'));
  return {
    api: fromDistro('@opentelemetry/api'),
    core: fromDistro('@opentelemetry/core'),
    utils: require(path.join(instrumentationDir, 'utils.js')),
  };
}

function durationHistograms(meter) {
  if (!meter) return undefined;
  const options = (what) => ({ description: `Duration of HTTP ${what} requests.`, unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS } });
  return {
    server: meter.createHistogram('http.server.request.duration', options('server')),
    client: meter.createHistogram('http.client.request.duration', options('client')),
  };
}

const secondsSince = (startMillis) => (performance.now() - startMillis) / 1000;

/** The SERVER side: returns its subscribers by channel name. */
function serverSubscribers({ api, core, utils }, tracer, contextManager, histograms, bindEmitters) {
  const { SpanKind, ROOT_CONTEXT, propagation, trace, context } = api;
  function end(response, state) {
    state.ended = true;
    const { span, rpc, request } = state;
    const attributes = { 'http.response.status_code': response.statusCode };
    if (rpc.route !== undefined) {
      attributes['http.route'] = rpc.route;
      span.updateName(`${request.method || 'GET'} ${rpc.route}`);
    }
    span.setAttributes(attributes).setStatus({ code: utils.parseResponseStatus(SpanKind.SERVER, response.statusCode) });
    span.end();
    if (histograms) {
      const metric = { 'http.request.method': state.attributes['http.request.method'], 'url.scheme': state.attributes['url.scheme'], 'network.protocol.version': state.attributes['network.protocol.version'] };
      histograms.server.record(secondsSince(state.startMillis), { ...metric, ...utils.getIncomingStableRequestMetricAttributesOnResponse(attributes) });
    }
  }
  function onResponseClose() {
    const state = this[kServer];
    if (!state.ended) end(this, state);
  }
  function onRequestStart({ request, response }) {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const component = request.socket.encrypted ? 'https' : 'http'; // the same channels serve https.Server
    const attributes = utils.getIncomingRequestAttributes(request, { component, enableSyntheticSourceDetection: false, redactedQueryParams: REDACTED_QUERY_PARAMS }, api.diag);
    const span = tracer.startSpan(request.method || 'GET', { kind: SpanKind.SERVER, attributes }, parent);
    const rpc = { type: core.RPCType.HTTP, span };
    const active = core.setRPCMetadata(trace.setSpan(parent, span), rpc);
    response[kServer] = { span, rpc, request, attributes, ended: false, startMillis: histograms ? performance.now() : 0 };
    response.on('close', onResponseClose);
    if (bindEmitters) { context.bind(active, request); context.bind(active, response); }
    contextManager.attach(active); // enterWith: see the file comment for what is unsafe about it
  }
  function onResponseFinish({ response }) {
    const state = response[kServer];
    if (state && !state.ended) end(response, state);
  }
  return { 'http.server.request.start': onRequestStart, 'http.server.response.finish': onResponseFinish };
}

/** Attributes the instrumentation sets when an outgoing request starts, from the ClientRequest. */
function outgoingAttributes(utils, request) {
  const https = request.protocol === 'https:';
  const hostHeader = String(request.getHeader('host') ?? request.host);
  const colon = hostHeader.lastIndexOf(':');
  const port = colon > hostHeader.lastIndexOf(']') ? hostHeader.slice(colon + 1) : (https ? '443' : '80');
  const options = { method: request.method, protocol: request.protocol, hostname: request.host, port, path: request.path, headers: { 'user-agent': request.getHeader('user-agent') } };
  return { port, attributes: utils.getOutgoingRequestAttributes(options, { component: https ? 'https' : 'http', hostname: request.host, port }, false) };
}

/** The CLIENT side: wraps ClientRequest#_implicitHeader (to inject); returns its subscribers and the unwrap. */
function clientSide({ api, utils }, tracer, histograms, ignoreOutgoingRequest, bindEmitters) {
  const { SpanKind, SpanStatusCode, propagation, trace, context } = api;
  function end(request, state) {
    state.ended = true;
    const { span, response, error } = state;
    if (error) utils.setSpanWithError(span, error);
    else if (response) {
      const aborted = response.aborted && !response.complete;
      span.setStatus({ code: aborted ? SpanStatusCode.ERROR : utils.parseResponseStatus(SpanKind.CLIENT, response.statusCode) });
    }
    span.end();
    if (histograms) {
      const metric = { 'http.request.method': state.attributes['http.request.method'], 'server.address': state.attributes['server.address'], 'server.port': state.attributes['server.port'] };
      if (error) metric['error.type'] = error.name;
      histograms.client.record(secondsSince(state.startMillis), response ? { ...metric, ...utils.getOutgoingStableRequestMetricAttributesOnResponse(state.responseAttributes) } : metric);
    }
  }
  function onRequestClose() {
    const state = this[kClient];
    if (!state.ended) end(this, state);
  }
  function start(request) {
    if (ignoreOutgoingRequest?.(request)) return;
    const parent = context.active();
    const { attributes } = outgoingAttributes(utils, request);
    const span = tracer.startSpan(request.method, { kind: SpanKind.CLIENT, attributes }, parent);
    propagation.inject(trace.setSpan(parent, span), request, HEADER_SETTER);
    request[kClient] = { span, attributes, response: undefined, responseAttributes: undefined, error: undefined, ended: false, startMillis: histograms ? performance.now() : 0 };
    request.on('close', onRequestClose);
    if (bindEmitters) context.bind(parent, request);
  }
  const proto = http.ClientRequest.prototype;
  const original = proto._implicitHeader;
  proto._implicitHeader = function implicitHeaderWithTraceContext() {
    if (this[kClient] === undefined) start(this);
    return original.call(this);
  };
  const subscribers = {
    'http.client.response.finish': ({ request, response }) => {
      const state = request[kClient];
      if (!state) return;
      state.response = response;
      state.responseAttributes = utils.getOutgoingRequestAttributesOnResponse(response);
      state.span.setAttributes(state.responseAttributes);
    },
    'http.client.request.error': ({ request, error }) => {
      const state = request[kClient];
      if (state && !state.ended) { state.error = error; end(request, state); }
    },
  };
  return { subscribers, unwrap: () => { proto._implicitHeader = original; } };
}

/**
 * Starts the prototype.
 * @param {{ fromDistro: NodeJS.Require, tracerProvider: { getTracer(name: string): unknown },
 *   contextManager: { attach(context: unknown): unknown }, meter?: unknown, sides?: ('server' | 'client')[], bindEmitters?: boolean,
 *   ignoreOutgoingRequest?: (request: import('node:http').ClientRequest) => boolean }} options
 * @returns {() => void} unsubscribes and unwraps
 */
function startDcHttpSpans({ fromDistro, tracerProvider, contextManager, meter, sides = ['server', 'client'], bindEmitters = false, ignoreOutgoingRequest }) {
  const deps = loadDependencies(fromDistro);
  const tracer = tracerProvider.getTracer('bench-dc-http-spans', '0.0.0');
  const histograms = durationHistograms(meter);
  const client = sides.includes('client') ? clientSide(deps, tracer, histograms, ignoreOutgoingRequest, bindEmitters) : { subscribers: {}, unwrap: () => {} };
  const server = sides.includes('server') ? serverSubscribers(deps, tracer, contextManager, histograms, bindEmitters) : {};
  const subscribers = { ...server, ...client.subscribers };
  for (const [name, fn] of Object.entries(subscribers)) dc.subscribe(name, fn);
  return () => {
    for (const [name, fn] of Object.entries(subscribers)) dc.unsubscribe(name, fn);
    client.unwrap();
  };
}

module.exports = { startDcHttpSpans };
