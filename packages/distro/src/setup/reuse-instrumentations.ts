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
 * enabled (a first instance is enabled here too). The fresh one was built disabled (`createInstrumentations`) and is never enabled, so it
 * registered no require/import hook and nothing keeps it alive. Instances the user passed
 * (`additional`) are left as they are (an `additional` instance built enabled registers its hooks in
 * its constructor, before the distro sees it).
 *
 * @param fresh - The instrumentations built for this setup.
 * @param userOwned - The user's own instances (never pooled).
 */
export function reuseInstrumentations(fresh: readonly Instrumentation[], userOwned: readonly Instrumentation[] = []): Instrumentation[] {
  return fresh.map((instrumentation) => {
    if (userOwned.includes(instrumentation)) return instrumentation;
    const name = instrumentation.instrumentationName;
    const earlier = pool.get(name);
    // `enabled: true` in the config too: some instrumentations (undici) trace only when it says so.
    const config = { ...instrumentation.getConfig(), enabled: true };
    const kept = earlier === undefined || earlier === instrumentation || earlier.constructor !== instrumentation.constructor ? instrumentation : earlier;
    if (kept === instrumentation) pool.set(name, instrumentation);
    kept.setConfig(config);
    kept.enable(); // registerInstrumentations() then leaves it as it is (its config says enabled)
    return kept;
  });
}
