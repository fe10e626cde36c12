/**
 * `node --import @appinsights-otel/distro/register app.mjs` (ES modules) or
 * `node --require @appinsights-otel/distro/register app.js` (CommonJS): sets up Azure Monitor
 * OpenTelemetry from the environment before the application loads, and flushes on exit.
 *
 * Reads `APPLICATIONINSIGHTS_CONNECTION_STRING`, `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` (managed
 * identity), the configuration file (`APPLICATIONINSIGHTS_CONFIGURATION_FILE` /
 * `APPLICATIONINSIGHTS_CONFIGURATION_CONTENT`), `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`,
 * `OTEL_TRACES_SAMPLER(_ARG)`, `OTEL_METRIC_EXPORT_INTERVAL` and `OTEL_NODE_ENABLED_INSTRUMENTATIONS` /
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS`. With `--import`, packages the application `import`s (ES
 * modules) are instrumented too, through an import-in-the-middle loader hook limited to the packages
 * the default instrumentations hook: in-thread (`module.registerHooks`) where Node.js supports it, so
 * Node.js 26 prints no `module.register()` deprecation (DEP0205); `module.register` on older lines.
 */
import { hookedModuleNames } from './instrumentations/create-instrumentations';
import { registerEsmHook } from './instrumentations/register-esm-hook';
import { shutdownAzureMonitor, useAzureMonitor } from './setup/use-azure-monitor';
import { installProcessHooks } from './setup/install-process-hooks';

useAzureMonitor();
installProcessHooks(); // flush on SIGTERM/SIGINT and record crashes, without changing how the process ends
// `--import` (ES module apps): packages the app imports need the loader hook. Preloaded by `--require`
// (CommonJS apps), require() is hooked already, and Node 20 would initialize an off-thread loader hook
// registered during a preload twice (import-in-the-middle then warns on stderr).
if (module.parent?.id !== 'internal/preload') registerEsmHook(hookedModuleNames());

let flushed = false;
process.once('beforeExit', () => {
  if (flushed) return;
  flushed = true;
  void shutdownAzureMonitor();
});
