import { resourceFromAttributes } from '@opentelemetry/resources';
import { CONTEXT_TAG_MAX_LENGTH } from '../../../../src/contracts/context-tag';
import { createEnvelope } from '../../../../src/mapping/common/envelope/create-envelope';
import { createMappingContext } from '../../../../src/mapping/common/envelope/mapping-context';

const message = { baseType: 'MessageData', baseData: { ver: 2, message: 'm' } } as const;

describe('createEnvelope tags', () => {
  it('writes resource tags, then the SDK version, then item tags (which override), in that order', () => {
    const resource = resourceFromAttributes({ 'service.name': 'api', 'service.instance.id': 'i-1' });
    const ctx = createMappingContext({ instrumentationKey: 'k', sdkVersion: 'sdk-1' });
    const envelope = createEnvelope(ctx, resource, { time: 't', tags: { 'ai.operation.id': 'op', 'ai.cloud.role': 'override' }, data: message });
    expect(Object.entries(envelope.tags ?? {})).toEqual([
      ['ai.cloud.role', 'override'], ['ai.cloud.roleInstance', 'i-1'], ['ai.internal.sdkVersion', 'sdk-1'], ['ai.operation.id', 'op'],
    ]);
  });

  it('gives each mapping context its own SDK version on the same resource, and truncates resource tags every time', () => {
    const long = 'r'.repeat(1000);
    const resource = resourceFromAttributes({ 'service.name': long });
    const roleMax = CONTEXT_TAG_MAX_LENGTH['ai.cloud.role'];
    for (const sdkVersion of ['sdk-a', 'sdk-b', 'sdk-a']) {
      const envelope = createEnvelope(createMappingContext({ instrumentationKey: 'k', sdkVersion }), resource, { time: 't', tags: {}, data: message });
      expect(envelope.tags?.['ai.internal.sdkVersion']).toBe(sdkVersion);
      expect(envelope.tags?.['ai.cloud.role']).toBe(long.slice(0, roleMax));
    }
  });
});
