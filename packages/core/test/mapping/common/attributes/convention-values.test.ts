import { isInternalAttribute, isInternalSpanAttribute } from '../../../../src/mapping/common/attributes/item-properties';
import { parseBoolean } from '../../../../src/mapping/common/attributes/parse-boolean';
import { parseCustomMeasurements } from '../../../../src/mapping/common/attributes/custom-measurements';
import { parseTimeSpan } from '../../../../src/mapping/common/time/parse-time-span';

describe('parseTimeSpan', () => {
  it.each<[unknown, string | undefined]>([
    ['00:00:00.250', '00:00:00.2500000'],
    ['00:00:05', '00:00:05.0000000'],
    ['1.02:03:04.1234567', '1.02:03:04.1234567'],
    ['2:03:04', '02:03:04.0000000'],
    [250, '00:00:00.2500000'],
    [90_061_001, '1.01:01:01.0010000'],
    ['1500', '00:00:01.5000000'],
    [0, '00:00:00.0000000'],
    [-1, undefined],
    [Number.NaN, undefined],
    ['soon', undefined],
    ['00:00:00.12345678', undefined],
    [true, undefined],
    [undefined, undefined],
  ])('maps %p to %p', (value, expected) => {
    expect(parseTimeSpan(value)).toBe(expected);
  });
});

describe('parseCustomMeasurements', () => {
  it.each<[string, unknown, Record<string, number>]>([
    ['a JSON object', '{"a": 1, "b": 2.5}', { a: 1, b: 2.5 }],
    ['an object', { a: 1, b: 'x', c: null, d: [1] }, { a: 1 }],
    ['non-finite numbers left out', { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 3 }, { c: 3 }],
    ['a JSON array', '[1, 2]', {}],
    ['a JSON number', '42', {}],
    ['broken JSON', '{"a":', {}],
    ['a number', 7, {}],
    ['nothing', undefined, {}],
    ['long keys cut to 150 characters, first wins', { [`${'k'.repeat(150)}1`]: 1, [`${'k'.repeat(150)}2`]: 2 }, { ['k'.repeat(150)]: 1 }],
  ])('reads %s', (_title, value, expected) => {
    expect(parseCustomMeasurements(value)).toEqual(expected);
  });
});

describe('parseBoolean', () => {
  it.each<[unknown, boolean | undefined]>([
    [true, true], [false, false], ['True', true], ['FALSE', false], [' true ', true], ['yes', undefined], [1, undefined], [undefined, undefined],
  ])('maps %p to %p', (value, expected) => {
    expect(parseBoolean(value)).toBe(expected);
  });
});

describe('isInternalAttribute', () => {
  it.each<[string, boolean]>([
    ['microsoft.sample_rate', true], ['microsoft.custom_event.name', true], ['_MS.baseType', true], ['_MS.links', true],
    ['_MS.ProcessedByMetricExtractors', false], ['microsoft.availability.id', false], ['microsoftish', false], ['ms.x', false], ['tenant', false],
  ])('%s -> %p', (key, expected) => {
    expect(isInternalAttribute(key)).toBe(expected);
  });
});

describe('isInternalSpanAttribute', () => {
  it.each<[string, boolean]>([
    ['microsoft.gen_ai.main_agent.name', false], ['microsoft.gen_ai.main_agent.id', false], ['microsoft.gen_ai.main_agent.version', false],
    ['microsoft.gen_ai.main_agent.conversation_id', false], ['microsoft.gen_ai.main_agent.other', true], ['microsoft.sample_rate', true],
    ['_MS.ProcessedByMetricExtractors', false],
  ])('%s -> %p', (key, expected) => {
    expect(isInternalSpanAttribute(key)).toBe(expected);
    expect(isInternalAttribute(key)).toBe(key !== '_MS.ProcessedByMetricExtractors');
  });
});
