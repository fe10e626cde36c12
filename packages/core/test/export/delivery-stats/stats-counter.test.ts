import { createStatsCounter } from '../../../src/export/delivery-stats/stats-counter';
import { rowProperties } from '../../../src/export/delivery-stats/stats-to-envelopes';

describe('createStatsCounter', () => {
  it('sums counts per metric and dimensions, skips our own items, and starts from zero after a drain', () => {
    const counter = createStatsCounter();
    const kinds = [{ type: 'REQUEST', success: true }, { type: 'REQUEST', success: false }, { type: 'TRACE' }, undefined] as const;
    counter.addSend({ items: [{ event: { metric: 'success' }, indexes: 'all' }], elsewhere: [] }, kinds);
    counter.addSend({ items: [{ event: { metric: 'dropped', code: '400' }, indexes: [0, 1, 3] }], elsewhere: [{ event: { metric: 'dropped', code: 'CLIENT_PERSISTENCE_CAPACITY' }, count: 4 }] }, kinds);
    counter.addSend({ items: [{ event: { metric: 'retry', code: '503' }, indexes: [0, 1, 2] }], elsewhere: [] }, kinds);
    expect(counter.drain()).toEqual(expect.arrayContaining([
      { metric: 'success', telemetryType: 'REQUEST', count: 2 },
      { metric: 'success', telemetryType: 'TRACE', count: 1 },
      { metric: 'dropped', telemetryType: 'REQUEST', code: '400', reason: 'Bad request', telemetrySuccess: true, count: 1 },
      { metric: 'dropped', telemetryType: 'REQUEST', code: '400', reason: 'Bad request', telemetrySuccess: false, count: 1 },
      { metric: 'dropped', telemetryType: 'UNKNOWN', code: 'CLIENT_PERSISTENCE_CAPACITY', reason: 'Persistence full', count: 4 },
      { metric: 'retry', telemetryType: 'REQUEST', code: '503', reason: 'Service unavailable', count: 2 },
      { metric: 'retry', telemetryType: 'TRACE', code: '503', reason: 'Service unavailable', count: 1 },
    ]));
    expect(counter.drain()).toEqual([]);
  });
});

describe('rowProperties (customDimensions of one row)', () => {
  const common = { computeType: 'aks', language: 'node', version: '0.1.0' };
  it.each([
    [{ metric: 'success', telemetryType: 'TRACE', count: 1 } as const, { computeType: 'aks', language: 'node', version: '0.1.0', telemetry_type: 'TRACE' }],
    [{ metric: 'dropped', telemetryType: 'DEPENDENCY', code: '400', reason: 'Bad request', telemetrySuccess: false, count: 1 } as const,
      { computeType: 'aks', language: 'node', version: '0.1.0', telemetry_type: 'DEPENDENCY', 'drop.code': '400', 'drop.reason': 'Bad request', telemetry_success: 'false' }],
    [{ metric: 'retry', telemetryType: 'EXCEPTION', code: 'CLIENT_TIMEOUT', reason: 'Client timeout', count: 1 } as const,
      { computeType: 'aks', language: 'node', version: '0.1.0', telemetry_type: 'EXCEPTION', 'retry.code': 'CLIENT_TIMEOUT', 'retry.reason': 'Client timeout' }],
  ])('%j', (row, expected) => {
    expect(rowProperties(row, common)).toEqual(expected);
  });
});
