import { createRequire } from 'node:module';
import { diag, trace, type TracerProvider } from '@opentelemetry/api';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import { createOtelInstrumenter, type AzureInstrumenter } from './create-otel-instrumenter';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro/azure-sdk' });

/** The name this instrumentation reports (`instrumentationName`). */
const AZURE_SDK_INSTRUMENTATION_NAME = '@appinsights-otel/instrumentation-azure-sdk';

interface CoreTracingModule {
  useInstrumenter(instrumenter: AzureInstrumenter): void;
}

/**
 * Azure SDK tracing: installs an OpenTelemetry-backed instrumenter in the application's copy of
 * `@azure/core-tracing` (`useInstrumenter`), so Azure SDK client calls (Storage, Key Vault, Service
 * Bus, ...) become dependencies of the current operation. core-tracing 1.x shares its instrumenter
 * between its CommonJS and ES module builds, so both are covered.
 *
 * @param coreTracingPath - The resolved path of the application's `@azure/core-tracing`.
 * @param isOwnUrl - Requests to these URLs (ours) are not traced.
 */
export function createAzureSdkInstrumentation(coreTracingPath: string, isOwnUrl: (url: string) => boolean): Instrumentation {
  let config: InstrumentationConfig = { enabled: false }; // registerInstrumentations() enables it
  let provider: TracerProvider | undefined;
  let installed = false;
  const instrumenter = createOtelInstrumenter({
    getTracer: (name, version) => (provider ?? trace.getTracerProvider()).getTracer(name, version),
    isOwnUrl,
    isEnabled: () => config.enabled !== false,
  });
  const instrumentation: Instrumentation = {
    instrumentationName: AZURE_SDK_INSTRUMENTATION_NAME,
    instrumentationVersion: '1.0.0',
    enable() {
      config = { ...config, enabled: true };
      if (installed) return;
      try {
        (createRequire(coreTracingPath)(coreTracingPath) as CoreTracingModule).useInstrumenter(instrumenter);
        installed = true;
      } catch (error: unknown) {
        log.warn(`Azure SDK tracing is off: @azure/core-tracing could not be loaded (${error instanceof Error ? error.message : String(error)})`);
      }
    },
    // core-tracing has no way to uninstall an instrumenter: ours stops recording instead.
    disable() { config = { ...config, enabled: false }; },
    setTracerProvider(tracerProvider) { provider = tracerProvider; },
    setMeterProvider() { /* no metrics */ },
    setConfig(next) { config = { ...next }; },
    getConfig: () => config,
  };
  return instrumentation;
}
