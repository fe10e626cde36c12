import { join } from 'node:path';
import { readPackageVersion } from '../config/read-package-version';

const PACKAGE_NAME = '@appinsights-otel/core';

let cachedVersion: string | undefined;

/** The version of @appinsights-otel/core, from its package.json. */
function coreVersion(): string {
  return (cachedVersion ??= readPackageVersion(join(__dirname, '..', '..'), '0.0.0'));
}

/** `User-Agent` for ingestion requests, e.g. `appinsights-otel/0.1.0 (@appinsights-otel/core; node v20.19.0; linux)`, prefixed with `extra`. */
export function buildUserAgent(extra?: string): string {
  const ours = `appinsights-otel/${coreVersion()} (${PACKAGE_NAME}; node ${process.version}; ${process.platform})`;
  return extra ? `${extra} ${ours}` : ours;
}
