import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_NAME = '@appinsights-otel/core';

function readCoreVersion(): string {
  try {
    // src/transport and dist/transport both sit two levels below the package root.
    const parsed: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const version = (parsed as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

let cachedVersion: string | undefined;

/** The version of @appinsights-otel/core, from its package.json. */
export function coreVersion(): string {
  return (cachedVersion ??= readCoreVersion());
}

/** `User-Agent` for ingestion requests, e.g. `appinsights-otel/0.1.0 (@appinsights-otel/core; node v20.19.0; linux)`, prefixed with `extra`. */
export function buildUserAgent(extra?: string): string {
  const ours = `appinsights-otel/${coreVersion()} (${PACKAGE_NAME}; node ${process.version}; ${process.platform})`;
  return extra ? `${extra} ${ours}` : ours;
}
