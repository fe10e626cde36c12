// Core's mapping truncates context tags to the limits the emulator (the judge) enforces: one table,
// the Bond contract's `ContextTagKeys.bond`, kept twice because the emulator may not import core
// (layers). Issue 22 found core writing `ai.location.ip` up to 46 characters where the contract
// says 45, and truncating `ai.user.userAgent` at 1024 where it allows 2048.
import { resourceFromAttributes } from '@opentelemetry/resources';
import { CONTEXT_TAG_SCHEMA_MAX_LENGTH, CONTEXT_TAG_MAX_LENGTH } from '../../packages/core/src/contracts/context-tag';
import { createEnvelope } from '../../packages/core/src/mapping/common/envelope/create-envelope';
import { createMappingContext } from '../../packages/core/src/mapping/common/envelope/mapping-context';
import { CONTEXT_TAG_MAX_LENGTHS } from '../../packages/emulator/src/contracts/context-tag-limits';
import { validateEnvelope } from '../../packages/emulator/src/ingestion/validate-envelope';

const IKEY = '11111111-2222-4333-8444-555555555555';

describe('context tag limits: core and the emulator', () => {
  it('are the same table', () => {
    expect(CONTEXT_TAG_SCHEMA_MAX_LENGTH).toEqual(CONTEXT_TAG_MAX_LENGTHS);
  });

  it('cover every tag core writes', () => {
    for (const [key, max] of Object.entries(CONTEXT_TAG_MAX_LENGTH)) expect([key, max]).toEqual([key, CONTEXT_TAG_MAX_LENGTHS[key]]);
  });

  it.each(Object.entries(CONTEXT_TAG_MAX_LENGTHS))('core truncates %s to %i characters, which the emulator accepts and one more it refuses', (key, max) => {
    const long = 'x'.repeat(max + 10);
    const ctx = createMappingContext({ instrumentationKey: IKEY, sdkVersion: 'test:1' });
    const envelope = createEnvelope(ctx, resourceFromAttributes({}), {
      time: new Date().toISOString(), tags: { [key]: long }, data: { baseType: 'MessageData', baseData: { ver: 2, message: 'm' } },
    });
    const written = envelope.tags?.[key] ?? '';
    expect(written).toHaveLength(max);
    expect(validateEnvelope(envelope, 500)).toMatchObject({ ok: true });
    const over = { ...envelope, tags: { ...envelope.tags, [key]: `${written}x` } };
    expect(validateEnvelope(over, 500)).toMatchObject({ ok: false, violation: { kind: 'too-long', field: key, type: 'ContextTagKeys', maxLength: max } });
  });
});
