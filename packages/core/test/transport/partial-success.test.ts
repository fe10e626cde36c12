import { parsePartialSuccess } from '../../src/transport/partial-success';

const body = (errors: unknown, extra: object = {}) => JSON.stringify({ itemsReceived: 10, itemsAccepted: 5, errors, ...extra });

describe('parsePartialSuccess', () => {
  it('reports exactly the indexes whose status is retriable (408, 429, 439, 500, 502, 503, 504)', () => {
    const errors = [408, 429, 439, 500, 502, 503, 504, 400, 413].map((statusCode, index) => ({ index, statusCode, message: `m${statusCode}` }));
    expect(parsePartialSuccess(body(errors), 10)).toEqual({
      accepted: 1, retryIndexes: [0, 1, 2, 3, 4, 5, 6], dropped: 2, reasons: ['400: m400', '413: m413'],
      // per item, for delivery statistics: each retried index's status, each dropped index with its status
      retryStatusCodes: [408, 429, 439, 500, 502, 503, 504], droppedItems: [{ index: 7, statusCode: 400 }, { index: 8, statusCode: 413 }],
    });
  });

  it('counts "sampled out" items as accepted', () => {
    const errors = [
      { index: 1, statusCode: 400, message: 'Telemetry sampled out.' },
      { index: 2, statusCode: 206, message: 'Item was sampled out by ingestion sampling' },
    ];
    expect(parsePartialSuccess(body(errors), 3)).toEqual({ accepted: 3, retryIndexes: [], dropped: 0, reasons: [], retryStatusCodes: [], droppedItems: [] });
  });

  it('ignores out-of-range, duplicate and malformed entries, and dedupes reasons', () => {
    const errors = [
      { index: 0, statusCode: 400, message: 'bad' }, { index: 1, statusCode: 400, message: 'bad' },
      { index: 1, statusCode: 400, message: 'bad' }, { index: 99, statusCode: 500 }, { index: -1, statusCode: 500 },
      { index: 1.5, statusCode: 500 }, 'nonsense', null, { index: 2, statusCode: 503 }, { index: 2, statusCode: 400 },
      { index: 3 },
    ];
    expect(parsePartialSuccess(body(errors), 4)).toEqual({
      accepted: 0, retryIndexes: [2], dropped: 3, reasons: ['400: bad', 'unknown: no reason given'],
      // a retriable status wins for index 2; index 3 has no status: dropped without a code
      retryStatusCodes: [503], droppedItems: [{ index: 0, statusCode: 400 }, { index: 1, statusCode: 400 }, { index: 3 }],
    });
  });

  it.each([
    ['no item errors at all', { itemsReceived: 4, itemsAccepted: 3, errors: [] }, { accepted: 3, retryIndexes: [], dropped: 1 }],
    ['errors that explain only part of the shortfall', { itemsReceived: 5, itemsAccepted: 1, errors: [{ index: 0, statusCode: 500 }, { index: 1, statusCode: 206, message: 'Telemetry sampled out.' }] }, { accepted: 2, retryIndexes: [0], dropped: 2 }],
  ])('counts items ingestion did not accept and did not name as dropped, never accepted: %s', (_name, response, expected) => {
    const parsed = parsePartialSuccess(JSON.stringify(response), response.itemsReceived);
    expect(parsed).toMatchObject(expected);
    expect(parsed?.reasons.join()).toMatch(/fewer item\(s\) than it received without naming them/);
  });

  it('does not invent a shortfall when sampled-out items explain it (the service excludes them from itemsAccepted)', () => {
    const errors = [{ index: 0, statusCode: 206, message: 'Telemetry sampled out.' }, { index: 1, statusCode: 206, message: 'Telemetry sampled out.' }];
    expect(parsePartialSuccess(JSON.stringify({ itemsReceived: 3, itemsAccepted: 1, errors }), 3))
      .toEqual({ accepted: 3, retryIndexes: [], dropped: 0, reasons: [], retryStatusCodes: [], droppedItems: [] });
  });

  it.each(['', 'not json', '[]', '{"itemsReceived":1}', '{"errors":"x"}', 'null', '<html>502</html>'])(
    'returns undefined for a body that is not a track response: %j', (text) => {
      expect(parsePartialSuccess(text, 3)).toBeUndefined();
    });

  it('bounds the reasons list and each reason', () => {
    const errors = Array.from({ length: 30 }, (_, index) => ({ index, statusCode: 400, message: `reason ${index} ${'x'.repeat(300)}` }));
    const parsed = parsePartialSuccess(body(errors), 30);
    expect(parsed?.reasons).toHaveLength(10);
    expect(parsed?.reasons[0]?.length).toBeLessThanOrEqual(203);
    expect(parsed?.dropped).toBe(30);
  });
});

describe('parsePartialSuccess: statusCode as a numeric string', () => {
  it.each([
    ['"500"', '500', true],
    ['" 503 "', ' 503 ', true],
    ['"429"', '429', true],
    ['"400"', '400', false],
    ['"5e2" (not a plain integer)', '5e2', false],
    ['"" (empty)', '', false],
  ])('item statusCode %s is read as a number: retried=%s', (_label, statusCode, retried) => {
    const parsed = parsePartialSuccess(JSON.stringify({ itemsReceived: 2, itemsAccepted: 1, errors: [{ index: 1, statusCode, message: 'x' }] }), 2);
    expect(parsed?.retryIndexes).toEqual(retried ? [1] : []);
    expect(parsed?.dropped).toBe(retried ? 0 : 1);
  });
});
