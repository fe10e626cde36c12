import { describeResponseBody } from '../../src/transport/describe-response-body';

describe('describeResponseBody', () => {
  it.each<[string, string]>([
    ['', ''],
    ['   ', ''],
    ['{"itemsReceived":2,"itemsAccepted":0,"errors":[{"index":0,"statusCode":400,"message":"Invalid instrumentation key"},{"index":1,"statusCode":400,"message":"Invalid instrumentation key"}]}', ': Invalid instrumentation key'],
    ['{"error":{"code":"BadRequest","message":"Body is not valid gzip"}}', ': Body is not valid gzip'],
    ['{"error":"quota exceeded","message":"try later"}', ': quota exceeded; try later'],
    ['{"unrelated":true}', ''],
    ['<html><body>echo of the request payload</body></html>', ' (53-byte non-JSON body)'],
  ])('%j -> %j', (body, expected) => {
    expect(describeResponseBody(body)).toBe(expected);
  });

  it('keeps at most 3 messages of at most 200 characters', () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({ index: i, statusCode: 400, message: `${i}${'x'.repeat(300)}` }));
    const described = describeResponseBody(JSON.stringify({ errors }));
    expect(described.split('; ')).toHaveLength(3);
    expect(described.split('; ')[0]?.length).toBeLessThanOrEqual(2 + 203);
  });
});
