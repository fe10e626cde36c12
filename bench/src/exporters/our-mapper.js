'use strict';
/**
 * The envelopes the floor serializes: our mapper's output when @appinsights-otel/core exports it
 * (spanToEnvelopes), else a representative hand-built envelope per span following DESIGN.md
 * section 7 (same fields our mapper is specified to write), so the floor is never empty.
 */
const IKEY = '00000000-0000-4000-8000-000000000001';

function formatDuration(millis) {
  const totalMicros = Math.round(millis * 1000);
  const ticks = String((totalMicros % 1_000_000) * 10).padStart(7, '0');
  const totalSeconds = Math.floor(totalMicros / 1_000_000);
  const s = String(totalSeconds % 60).padStart(2, '0');
  const m = String(Math.floor(totalSeconds / 60) % 60).padStart(2, '0');
  const hours = Math.floor(totalSeconds / 3600);
  const h = String(hours % 24).padStart(2, '0');
  const days = Math.floor(hours / 24);
  return `${days > 0 ? days + '.' : ''}${h}:${m}:${s}.${ticks}`;
}

const hrToMillis = ([s, ns]) => s * 1000 + ns / 1e6;
const hrToIso = (hr) => new Date(Math.floor(hrToMillis(hr))).toISOString();

function resourceTags(resource) {
  const a = resource.attributes;
  return {
    'ai.cloud.role': a['service.namespace'] ? `${a['service.namespace']}.${a['service.name']}` : String(a['service.name']),
    'ai.cloud.roleInstance': String(a['service.instance.id'] ?? a['host.name']),
    'ai.application.ver': String(a['service.version']),
    'ai.internal.sdkVersion': 'node20:otel2.12.0:appinsights-otel0.1.0',
  };
}

function representativeSpanToEnvelopes(span) {
  const a = span.attributes;
  const ctx = span.spanContext();
  const tags = {
    ...resourceTags(span.resource),
    'ai.operation.id': ctx.traceId,
    'ai.operation.name': span.kind === 1 ? span.name : undefined,
  };
  if (span.parentSpanContext) tags['ai.operation.parentId'] = span.parentSpanContext.spanId;
  const duration = formatDuration(hrToMillis(span.duration));
  const consumed = new Set();
  const take = (k) => { consumed.add(k); return a[k]; };
  let baseType; let baseData; let name;
  if (span.kind === 1) {
    const code = take('http.response.status_code');
    name = 'Request'; baseType = 'RequestData';
    baseData = {
      ver: 2, id: ctx.spanId, name: `${take('http.request.method')} ${take('http.route')}`, duration,
      success: span.status.code !== 2 && code < 400, responseCode: String(code),
      url: `${take('url.scheme')}://${take('server.address')}${take('url.path')}`,
    };
    tags['ai.user.userAgent'] = take('user_agent.original');
    tags['ai.location.ip'] = take('client.address');
    take('server.port');
  } else {
    name = 'RemoteDependency'; baseType = 'RemoteDependencyData';
    baseData = {
      ver: 2, id: ctx.spanId, name: span.name, duration, success: span.status.code !== 2, resultCode: '0',
      type: take('db.system.name'), target: `${take('server.address')}:${take('server.port')} | ${take('db.namespace')}`,
      data: take('db.query.text'),
    };
    take('db.system');
  }
  const properties = {};
  for (const [k, v] of Object.entries(a)) if (!consumed.has(k)) properties[k] = typeof v === 'string' ? v : JSON.stringify(v);
  if (Object.keys(properties).length > 0) baseData.properties = properties;
  const envelopes = [{ ver: 1, name: `Microsoft.ApplicationInsights.${name}`, time: hrToIso(span.startTime), sampleRate: 100, iKey: IKEY, tags, data: { baseType, baseData } }];
  for (const event of span.events) {
    envelopes.push({
      ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: hrToIso(event.time), sampleRate: 100, iKey: IKEY,
      tags: { ...resourceTags(span.resource), 'ai.operation.id': ctx.traceId, 'ai.operation.parentId': ctx.spanId },
      data: { baseType: 'MessageData', baseData: { ver: 2, message: event.name, properties: Object.fromEntries(Object.entries(event.attributes ?? {}).map(([k, v]) => [k, String(v)])) } },
    });
  }
  return envelopes;
}

/**
 * @returns {{ source: string, spanToEnvelopes: (span: object) => object[] }}
 */
function loadMapper() {
  let core;
  try { core = require('@appinsights-otel/core'); } catch { core = undefined; }
  if (core && typeof core.spanToEnvelopes === 'function' && typeof core.createMappingContext === 'function') {
    const ctx = core.createMappingContext({ instrumentationKey: IKEY });
    return { source: '@appinsights-otel/core spanToEnvelopes', spanToEnvelopes: (span) => core.spanToEnvelopes(span, ctx) };
  }
  return { source: 'representative envelopes (our mapper not exported by @appinsights-otel/core yet)', spanToEnvelopes: representativeSpanToEnvelopes };
}

module.exports = { loadMapper, representativeSpanToEnvelopes, formatDuration, IKEY };
