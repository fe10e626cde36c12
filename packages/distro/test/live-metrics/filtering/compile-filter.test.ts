import { compileFilter, parseFilterableTelemetryType, timeSpanComparandToMillis } from '../../../src/live-metrics/filtering/compile-filter';
import { LiveFilterError } from '../../../src/live-metrics/filtering/live-filter-error';
import { subjectOf } from './subject-fixture';

const REQUEST = subjectOf('Request', { Url: 'http://shop/Orders/7', Duration: 250, ResponseCode: 404, Success: false, Name: 'GET /orders/:id' }, { tenant: 'contoso', cost: '12.5' });
const DEPENDENCY = subjectOf('Dependency', { Target: 'db:5432|shop', Duration: 40, Success: true, Name: 'SELECT', ResultCode: 0, Type: 'postgresql', Data: 'SELECT * FROM orders' });
const EXCEPTION = subjectOf('Exception', { Message: 'Out of stock', StackTrace: 'at reserve (stock.js:10)' });
const TRACE = subjectOf('Trace', { Message: 'Payment accepted' }, { level: 'info' });

const passes = (type: 'Request' | 'Dependency' | 'Exception' | 'Trace', FieldName: string, Predicate: string, Comparand: string, subject = REQUEST): boolean =>
  compileFilter({ FieldName, Predicate, Comparand }, type)(subject);

describe('compileFilter: the eight predicates', () => {
  it.each([
    ['Equal', 'Name', 'GET /orders/:id', true],
    ['Equal is case-sensitive', 'Name', 'get /orders/:id', false],
    ['NotEqual', 'Name', 'GET /', true],
    ['Contains ignores case', 'Url', 'orders', true],
    ['DoesNotContain', 'Url', 'cart', true],
    ['DoesNotContain (present)', 'Url', 'ORDERS', false],
  ])('%s on a text field', (predicate, field, comparand, expected) => {
    expect(passes('Request', field, predicate.split(' ')[0] as string, comparand)).toBe(expected);
  });

  it.each([
    ['Equal', '404', true], ['NotEqual', '404', false], ['LessThan', '500', true], ['GreaterThan', '400', true],
    ['LessThanOrEqual', '404', true], ['GreaterThanOrEqual', '405', false],
  ])('%s %s on ResponseCode, compared as numbers', (predicate, comparand, expected) => {
    expect(passes('Request', 'ResponseCode', predicate, comparand)).toBe(expected);
  });
});

describe('compileFilter: the fields of each type', () => {
  it.each([
    ['Request', 'Url', 'Contains', 'shop', REQUEST, true],
    ['Request', 'Name', 'Equal', 'GET /orders/:id', REQUEST, true],
    ['Request', 'Success', 'Equal', 'False', REQUEST, true],
    ['Request', 'Success', 'NotEqual', 'false', REQUEST, false],
    ['Request', 'Duration', 'GreaterThan', '0.00:00:00.2', REQUEST, true],
    ['Request', 'Duration', 'LessThan', '00:00:00.1', REQUEST, false],
    ['Dependency', 'Target', 'Contains', '5432', DEPENDENCY, true],
    ['Dependency', 'Type', 'Equal', 'postgresql', DEPENDENCY, true],
    ['Dependency', 'Data', 'Contains', 'from orders', DEPENDENCY, true],
    ['Dependency', 'ResultCode', 'Equal', '0', DEPENDENCY, true],
    ['Dependency', 'Success', 'Equal', 'true', DEPENDENCY, true],
    ['Dependency', 'Name', 'NotEqual', 'SELECT', DEPENDENCY, false],
    ['Dependency', 'Duration', 'GreaterThanOrEqual', '0.0:0:0.04', DEPENDENCY, true],
    ['Exception', 'Exception.Message', 'Contains', 'stock', EXCEPTION, true],
    ['Exception', 'Exception.StackTrace', 'Contains', 'reserve', EXCEPTION, true],
    ['Trace', 'Message', 'Equal', 'Payment accepted', TRACE, true],
    ['Request', 'CustomDimensions.tenant', 'Equal', 'contoso', REQUEST, true],
    ['Request', 'CustomDimensions.tenant', 'Contains', 'CONT', REQUEST, true],
    ['Request', 'CustomDimensions.missing', 'NotEqual', 'x', REQUEST, false],
    ['Request', '*', 'Contains', 'contoso', REQUEST, true],
    ['Request', '*', 'Contains', '404', REQUEST, true],
    ['Request', '*', 'DoesNotContain', 'contoso', REQUEST, false],
    ['Trace', '*', 'DoesNotContain', 'refund', TRACE, true],
  ] as const)('%s %s %s %s', (type, field, predicate, comparand, subject, expected) => {
    expect(passes(type, field, predicate, comparand, subject)).toBe(expected);
  });
});

describe('compileFilter: what it refuses (AI_LIVE_FILTER, naming the fix)', () => {
  it.each([
    ['an empty field name', 'Request', '', 'Equal', 'x', /must have a field name/],
    ['an unknown predicate', 'Request', 'Name', 'Like', 'x', /'Like' is not a valid predicate/],
    ['an empty comparand', 'Request', 'Name', 'Equal', '', /must have a comparand/],
    ['a field the type does not have', 'Trace', 'Url', 'Equal', 'x', /'Url' is not a valid field name for the telemetry type Trace/],
    ['an exception field without its prefix', 'Exception', 'Message', 'Equal', 'x', /use Exception.Message/],
    ['a custom metric', 'Request', 'CustomMetrics.x', 'Equal', '1', /custom metric/],
    ['Equal on *', 'Request', '*', 'Equal', 'x', /not supported for the field name '\*'/],
    ['Contains on a number field', 'Request', 'ResponseCode', 'Contains', '4', /'Contains' is not supported for the field name 'ResponseCode'/],
    ['a result code that is not a number', 'Dependency', 'ResultCode', 'Equal', 'abc', /can't be converted to a double/],
    ['a duration that is not a TimeSpan', 'Request', 'Duration', 'GreaterThan', '200ms', /is not a duration: use d\.hh:mm:ss\.fff/],
    ['GreaterThan on a text field', 'Request', 'Url', 'GreaterThan', 'a', /compared as text/],
    ['LessThan on a custom dimension', 'Request', 'CustomDimensions.cost', 'LessThan', '5', /custom dimensions are compared as text/],
    ['Contains on Success', 'Request', 'Success', 'Contains', 'true', /use Equal or NotEqual/],
    ['a Success that is not a boolean', 'Request', 'Success', 'Equal', 'yes', /not a valid boolean/],
  ] as const)('%s', (_what, type, FieldName, Predicate, Comparand, message) => {
    const compile = (): unknown => compileFilter({ FieldName, Predicate, Comparand }, type);
    expect(compile).toThrow(LiveFilterError);
    expect(compile).toThrow(message);
    try { compile(); } catch (error) { expect((error as LiveFilterError).code).toBe('AI_LIVE_FILTER'); }
  });
});

describe('parseFilterableTelemetryType', () => {
  it.each(['Request', 'Dependency', 'Exception', 'Trace'])('accepts %s', (type) => {
    expect(parseFilterableTelemetryType(type)).toBe(type);
  });

  it.each([['Event', /Event/], ['Metric', /custom metrics/], ['PerformanceCounter', /performance counters/], ['PageView', /'PageView' is not a valid telemetry type/]])(
    'refuses %s with AI_LIVE_TELEMETRY_TYPE', (type, message) => {
      expect(() => parseFilterableTelemetryType(type)).toThrow(message);
      expect(() => parseFilterableTelemetryType(type)).toThrow(expect.objectContaining({ code: 'AI_LIVE_TELEMETRY_TYPE' }) as Error);
    },
  );
});

describe('timeSpanComparandToMillis', () => {
  it.each([['14.6:56:7.89', 1_234_567_890], ['0.0:0:0.2', 200], ['00:00:01', 1_000], ['1.00:00:00', 86_400_000]])(
    '%s -> %s ms', (comparand, millis) => {
      expect(timeSpanComparandToMillis(comparand)).toBeCloseTo(millis, 6);
    },
  );

  it.each(['2s', '', '1:2'])('%s is not a duration (NaN)', (comparand) => {
    expect(timeSpanComparandToMillis(comparand)).toBeNaN();
  });
});
