import type { Envelope } from '../../../../src/contracts/envelope';
import { capItemSize } from '../../../../src/mapping/common/limits/cap-item-size';
import { IKEY } from '../../fixtures/mapping-fixtures';

const ITEM_MAX_BYTES = 64 * 1024;
const bytes = (envelope: Envelope): number => Buffer.byteLength(JSON.stringify(envelope), 'utf8');

function messageEnvelope(message: string, properties: Record<string, string>): Envelope {
  return {
    ver: 1, name: 'Microsoft.ApplicationInsights.Message', time: '2023-11-14T22:13:20.000Z', iKey: IKEY, tags: { 'ai.operation.id': 'x' },
    data: { baseType: 'MessageData', baseData: { ver: 2, message, properties } },
  };
}

describe('capItemSize', () => {
  it('leaves an item under the limit untouched', () => {
    const envelope = messageEnvelope('hello', { a: 'b' });
    expect(capItemSize(structuredClone(envelope))).toEqual(envelope);
  });

  it('shortens the largest values first so small properties survive', () => {
    const small = { user: 'alice', region: 'eu', 'ü-key': 'ümlaut' };
    const envelope = messageEnvelope('€'.repeat(32768), { ...small, huge: '😀'.repeat(4096), large: 'x'.repeat(8192) });
    const capped = capItemSize(envelope);
    const baseData = capped.data.baseData as { message: string; properties: Record<string, string> };
    expect(bytes(capped)).toBeLessThanOrEqual(ITEM_MAX_BYTES);
    expect(baseData.properties).toEqual(expect.objectContaining(small));
    expect(baseData.properties['large']).toBe('x'.repeat(8192)); // 8 KB is below the common level
    expect(baseData.message.length).toBeGreaterThan(1000);
    expect(baseData.message).toMatch(/^€+$/);
  });

  it('drops trailing properties when their keys alone exceed the limit', () => {
    const properties = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`attribute.number.${i}`, `value ${i}`]));
    const capped = capItemSize(messageEnvelope('kept message', properties));
    const baseData = capped.data.baseData as { message: string; properties: Record<string, string> };
    expect(bytes(capped)).toBeLessThanOrEqual(ITEM_MAX_BYTES);
    expect(baseData.message).toBe('kept message');
    expect(baseData.properties['attribute.number.0']).toBe('value 0');
    expect(Object.keys(baseData.properties).length).toBeGreaterThan(1000);
  });

  it('drops parsedStack before shortening the raw stack', () => {
    const frames = Array.from({ length: 100 }, (_, level) => ({ level, method: 'm'.repeat(1024), fileName: 'f'.repeat(1024), line: 1 }));
    const envelope: Envelope = {
      ver: 1, name: 'Microsoft.ApplicationInsights.Exception', time: '2023-11-14T22:13:20.000Z', iKey: IKEY, tags: {},
      data: { baseType: 'ExceptionData', baseData: { ver: 2, exceptions: [{ typeName: 'Error', message: 'm', hasFullStack: true, stack: 'short stack', parsedStack: frames }] } },
    };
    expect(capItemSize(envelope)).toEqual({
      ...envelope,
      data: { baseType: 'ExceptionData', baseData: { ver: 2, exceptions: [{ typeName: 'Error', message: 'm', hasFullStack: true, stack: 'short stack' }] } },
    });
  });
});
