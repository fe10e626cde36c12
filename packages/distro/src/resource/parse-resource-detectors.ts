import { parseEnvList } from '../config/parse-env-list';

/** The resource detectors the distro can run; all read only local state (no network). */
export type ResourceDetectorName =
  | 'env' | 'host' | 'os' | 'process' | 'serviceinstance'
  | 'azureappservice' | 'azurefunctions' | 'azurecontainerapps' | 'kubernetes';

/** The detectors each `OTEL_NODE_RESOURCE_DETECTORS` entry stands for. */
const GROUPS: Readonly<Record<string, readonly ResourceDetectorName[]>> = {
  env: ['env'],
  host: ['host'],
  os: ['os'],
  process: ['process'],
  serviceinstance: ['serviceinstance'],
  azureappservice: ['azureappservice'],
  azurefunctions: ['azurefunctions'],
  azurecontainerapps: ['azurecontainerapps'],
  kubernetes: ['kubernetes'],
  k8s: ['kubernetes'],
  aks: ['kubernetes'],
  azure: ['azureappservice', 'azurefunctions', 'azurecontainerapps', 'kubernetes'],
  // `serviceinstance` is left out of `all`: its random id would replace the host name as the role instance
  all: ['env', 'host', 'os', 'process', 'azureappservice', 'azurefunctions', 'azurecontainerapps', 'kubernetes'],
  none: [],
};

/** Used when `OTEL_NODE_RESOURCE_DETECTORS` is not set. */
export const DEFAULT_RESOURCE_DETECTORS: readonly ResourceDetectorName[] = GROUPS['all'] ?? [];

/** Which detectors to run, and the entries that were not understood (one warning each). */
export interface ResourceDetectorChoice {
  readonly detectors: ReadonlySet<ResourceDetectorName>;
  readonly warnings: readonly string[];
}

/**
 * Parses `OTEL_NODE_RESOURCE_DETECTORS`: a comma-separated list of `env`, `host`, `os`, `process`,
 * `serviceinstance`, `azureappservice`, `azurefunctions`, `azurecontainerapps`, `kubernetes` (also
 * `k8s`, `aks`), `azure` (the four Azure platform detectors), `all` or `none`, case-insensitive.
 * Unset or blank: {@link DEFAULT_RESOURCE_DETECTORS}. `none` anywhere turns every detector off.
 * Unknown entries are skipped with a warning.
 *
 * @param raw - The variable's value.
 */
export function parseResourceDetectors(raw: string | undefined): ResourceDetectorChoice {
  const entries = parseEnvList(raw);
  if (entries.length === 0) return { detectors: new Set(DEFAULT_RESOURCE_DETECTORS), warnings: [] };
  if (entries.includes('none')) return { detectors: new Set(), warnings: [] };
  const detectors = new Set<ResourceDetectorName>();
  const warnings: string[] = [];
  for (const entry of entries) {
    const group = Object.prototype.hasOwnProperty.call(GROUPS, entry) ? GROUPS[entry] : undefined;
    if (group === undefined) {
      warnings.push(`OTEL_NODE_RESOURCE_DETECTORS: unknown detector "${entry}" ignored (known: ${Object.keys(GROUPS).join(', ')})`);
      continue;
    }
    for (const name of group) detectors.add(name);
  }
  return { detectors, warnings };
}
