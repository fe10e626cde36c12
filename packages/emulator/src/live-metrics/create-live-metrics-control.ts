import type { Registry } from '../config/create-registry';
import type { ResourceConfig } from '../config/emulator-config';
import { EmulatorError } from '../errors';
import type { LiveMetricsControl } from './create-live-metrics-service';
import type { LiveCollectionConfiguration, LiveMetricsRecord } from './live-metrics-types';
import { EMPTY_CONFIGURATION, etagOf } from './parse-quick-pulse-body';
import { validateAgainstLiveMetricsSpec } from './validate-against-live-metrics-spec';

/** Pings and posts kept, at most (the oldest go first). */
const MAX_RECORDS = 10_000;

/** The Live Metrics endpoint's state: its control surface, and what the request handlers add to it. */
export interface LiveMetricsBook {
  readonly control: LiveMetricsControl;
  /** Keeps a ping or post received (the last 10,000). */
  record(entry: LiveMetricsRecord): void;
  /** Headers every accepted answer carries: the polling-interval hint and the redirect, when set. */
  answerHeaders(): Record<string, string>;
}

/** Checks a configuration against the spec's `CollectionConfigurationInfo` and gives it an ETag. @throws EmulatorError EMU_CONFIG */
function checkedConfiguration(configuration: LiveCollectionConfiguration): LiveCollectionConfiguration & { ETag: string } {
  const withEtag = { ...configuration, ETag: configuration.ETag ?? etagOf(configuration) };
  const problems = validateAgainstLiveMetricsSpec(withEtag, 'CollectionConfigurationInfo', '$configuration');
  if (problems.length > 0) throw new EmulatorError('EMU_CONFIG', `the Live Metrics configuration does not match the spec's CollectionConfigurationInfo: ${problems.join('; ')}`);
  return withEtag;
}

/** Creates the Live Metrics state over the registry's resources (a resource left out is the first). */
export function createLiveMetricsControl(registry: Registry): LiveMetricsBook {
  const subscribed = new Set<string>();
  const records: LiveMetricsRecord[] = [];
  const configurations = new Map<string, LiveCollectionConfiguration>();
  let pollingHintMillis: number | undefined;
  let redirect: string | undefined;

  const resourceOf = (name?: string): ResourceConfig => {
    if (name !== undefined) return registry.resource(name);
    const first = registry.resources()[0];
    if (!first) throw new Error('the emulator has no resources');
    return first;
  };

  const control: LiveMetricsControl = {
    subscribe: (name) => { subscribed.add(resourceOf(name).name); },
    unsubscribe: (name) => { subscribed.delete(resourceOf(name).name); },
    isSubscribed: (name) => subscribed.has(resourceOf(name).name),
    setPollingIntervalHint: (millis) => { pollingHintMillis = millis; },
    redirectTo: (url) => { redirect = url; },
    setConfiguration(configuration, name) {
      const resource = resourceOf(name);
      if (configuration === undefined) {
        configurations.delete(resource.name);
        return '';
      }
      const checked = checkedConfiguration(configuration);
      configurations.set(resource.name, checked);
      return checked.ETag;
    },
    configuration: (name) => configurations.get(resourceOf(name).name) ?? EMPTY_CONFIGURATION,
    received: (operation) => (operation === undefined ? [...records] : records.filter((r) => r.operation === operation)),
    clear: () => { records.length = 0; },
  };

  return {
    control,
    record(entry) {
      records.push(entry);
      if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
    },
    answerHeaders: () => ({
      ...(pollingHintMillis !== undefined ? { 'x-ms-qps-service-polling-interval-hint': String(pollingHintMillis) } : {}),
      ...(redirect !== undefined ? { 'x-ms-qps-service-endpoint-redirect-v2': redirect } : {}),
    }),
  };
}
