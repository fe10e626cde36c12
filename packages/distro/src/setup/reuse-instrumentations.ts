import type { Instrumentation } from '@opentelemetry/instrumentation';

/** The distro's own instrumentations of this process, by instrumentation name. */
const pool = new Map<string, Instrumentation>();

/**
 * The instrumentations to enable for this setup, reusing the instances an earlier
 * `useAzureMonitor()` call of this process created. An instrumentation patches a module when it is
 * first required after its hooks exist, and a module is required through those hooks only once;
 * so a second, fresh instance would never patch `node:http` or a library the app already loaded
 * (a re-initialised app would lose its request telemetry). The earlier instance, disabled at
 * re-initialisation, patches them again when enabled; it takes the fresh instance's config and is
 * enabled, and the fresh one is disabled (its hooks stay registered, inert). Instances the user passed (`additional`) are left as they are.
 *
 * @param fresh - The instrumentations built for this setup.
 * @param userOwned - The user's own instances (never pooled).
 */
export function reuseInstrumentations(fresh: readonly Instrumentation[], userOwned: readonly Instrumentation[] = []): Instrumentation[] {
  return fresh.map((instrumentation) => {
    if (userOwned.includes(instrumentation)) return instrumentation;
    const name = instrumentation.instrumentationName;
    const earlier = pool.get(name);
    if (earlier === undefined || earlier === instrumentation || earlier.constructor !== instrumentation.constructor) {
      pool.set(name, instrumentation);
      return instrumentation;
    }
    instrumentation.disable();
    earlier.setConfig(instrumentation.getConfig());
    earlier.enable(); // registerInstrumentations() enables only instances configured `enabled: false`
    return earlier;
  });
}
