/**
 * User agents of platform health probes: Kubernetes liveness/readiness/startup probes
 * (`kube-probe/1.30`), Azure App Service's health check (`HealthCheck/1.0`) and container warm-up
 * (`ReadyForRequest/1.0`), matched as prefixes; Always On pings (`AlwaysOn`), matched exactly.
 */
const HEALTH_PROBE_USER_AGENT_PREFIXES: readonly string[] = ['kube-probe/', 'HealthCheck/', 'ReadyForRequest/'];
const HEALTH_PROBE_USER_AGENTS: readonly string[] = ['AlwaysOn'];

/** The path App Service pings to see whether a Linux container started. */
const HEALTH_PROBE_PATHS: readonly string[] = ['/robots933456.txt'];

/** Whether a request with this user agent and path is a platform health probe. */
export function isHealthProbe(userAgent: string | undefined, path: string | undefined): boolean {
  if (path !== undefined && HEALTH_PROBE_PATHS.includes(path)) return true;
  if (userAgent === undefined) return false;
  return HEALTH_PROBE_USER_AGENTS.includes(userAgent) || HEALTH_PROBE_USER_AGENT_PREFIXES.some((prefix) => userAgent.startsWith(prefix));
}
