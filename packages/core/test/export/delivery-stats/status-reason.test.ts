import { reasonOf } from '../../../src/export/delivery-stats/status-reason';

describe('reasonOf', () => {
  it.each([
    ['400', 'Bad request'], ['401', 'Unauthorized'], ['402', 'Quota exceeded'], ['403', 'Forbidden'], ['404', 'Not found'],
    ['408', 'Request timeout'], ['413', 'Payload too large'], ['429', 'Too many requests'], ['439', 'Quota exceeded'],
    ['418', 'Client error 4xx'], ['500', 'Internal server error'], ['502', 'Bad gateway'], ['503', 'Service unavailable'],
    ['504', 'Gateway timeout'], ['507', 'Server error 5xx'], ['206', 'status_206'],
    ['CLIENT_EXCEPTION', 'Client exception'], ['CLIENT_TIMEOUT', 'Client timeout'],
    ['CLIENT_PERSISTENCE_CAPACITY', 'Persistence full'], ['UNKNOWN', 'Unknown reason'],
  ])('%s -> %s', (code, reason) => {
    expect(reasonOf(code)).toBe(reason);
  });
});
