import { SDK_INFO } from '@opentelemetry/core';

/** Version of this package, as reported in `ai.internal.sdkVersion` (`ext<version>`). */
export const CORE_PACKAGE_VERSION = '0.1.0';

const OTEL_SDK_VERSION_KEY = 'telemetry.sdk.version';

/**
 * The `ai.internal.sdkVersion` value in the Azure Monitor OpenTelemetry convention:
 * `node<node version>:otel<OpenTelemetry SDK version>:ext<exporter version>`,
 * e.g. `node20.20.2:otel2.12.0:ext0.1.0`.
 */
export function defaultSdkVersion(extVersion: string = CORE_PACKAGE_VERSION): string {
  const otelVersion = String(SDK_INFO[OTEL_SDK_VERSION_KEY] ?? 'unknown');
  return `node${process.versions.node}:otel${otelVersion}:ext${extVersion}`;
}
