import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createInstrumentations } from '../../src/instrumentations/create-instrumentations';
import type { InstrumentationLists } from '../../src/instrumentations/select-instrumentations';
import { reuseInstrumentations } from '../../src/setup/reuse-instrumentations';

const NO_LISTS: InstrumentationLists = { enabled: undefined, disabled: undefined };
/** http and undici (the two built when nothing else resolves) are InstrumentationBase instances. */
const isOn = (i: Instrumentation): boolean => (i as unknown as { isEnabled(): boolean }).isEnabled();

/**
 * Re-initialisation (issue 24): an instrumentation registers its require/import hooks in
 * `enable()` (InstrumentationBase), and they can never be removed. The fresh instances a second
 * setup builds are replaced by the earlier ones; they must never have been enabled, or each
 * re-initialisation would leave one more set of inert hooks (and the instances they hold) behind.
 */
describe('reuseInstrumentations with createInstrumentations (re-initialisation)', () => {
  const enabled = new Set<Instrumentation>();
  beforeEach(() => {
    for (const proto of [HttpInstrumentation.prototype, UndiciInstrumentation.prototype]) {
      const original = proto.enable;
      jest.spyOn(proto, 'enable').mockImplementation(function (this: Instrumentation) {
        enabled.add(this);
        original.call(this);
      });
    }
  });
  afterEach(() => { jest.restoreAllMocks(); });

  it('builds instances disabled, enables the pooled ones, and never enables a replaced fresh one', () => {
    const setup = () => createInstrumentations(undefined, ['http://127.0.0.1:1'], NO_LISTS, () => undefined);
    const firstBuilt = setup();
    expect(firstBuilt.every((i) => !isOn(i))).toBe(true); // nothing hooked before registerInstrumentations()
    const first = reuseInstrumentations(firstBuilt);
    expect(first).toEqual(firstBuilt); // nothing to reuse yet: the fresh ones are kept...
    expect(first.every(isOn)).toBe(true); // ...and enabled (hooks registered once, here)
    first.forEach((i) => i.disable()); // the first setup retired

    const secondBuilt = setup();
    const second = reuseInstrumentations(secondBuilt);
    expect(second.map((i) => i.instrumentationName)).toEqual(first.map((i) => i.instrumentationName));
    const [http] = second;
    expect(http).toBe(first[0]); // the earlier instance, which already holds the hooks, is reused...
    expect(isOn(http!)).toBe(true); // ...and enabled again with the new config
    expect(secondBuilt.filter((i) => enabled.has(i))).toEqual([]); // no fresh instance ever registered hooks
    second.forEach((i) => i.disable());
  });
});
