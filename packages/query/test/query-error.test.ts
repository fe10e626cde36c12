// `instanceof QueryError` across two installed copies of the query package (and of core beneath it).
import { AuthError, TransportError } from '@appinsights-otel/core';
import { QueryError } from '../src/query-error';

function secondCopy(): typeof QueryError {
  let copy: { QueryError: typeof QueryError } | undefined;
  jest.isolateModules(() => { copy = require('../src/query-error') as { QueryError: typeof QueryError }; });
  return (copy as { QueryError: typeof QueryError }).QueryError;
}

describe('QueryError brand', () => {
  const OtherQueryError = secondCopy();

  it('holds instanceof both ways across two copies', () => {
    expect(OtherQueryError).not.toBe(QueryError);
    expect(new OtherQueryError('bad query', 400, 'BadArgumentError') instanceof QueryError).toBe(true);
    expect(new QueryError('bad query', 400) instanceof OtherQueryError).toBe(true);
  });

  it('is a TransportError of either copy of core, and not an AuthError', () => {
    const theirs = new OtherQueryError('bad query', 400);
    expect(theirs instanceof TransportError).toBe(true);
    expect(theirs instanceof AuthError).toBe(false);
  });

  it('does not match a plain TransportError, nor a foreign error', () => {
    expect(new TransportError('down', { statusCode: 503 }) instanceof QueryError).toBe(false);
    expect(new TransportError('down') instanceof OtherQueryError).toBe(false);
    expect(new Error('x') instanceof QueryError).toBe(false);
  });
});
