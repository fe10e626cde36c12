/**
 * `@appinsights-otel/core/internal`: names this repository's tests of other packages (and
 * cross-package tests) need that are not part of core's public surface. Not a public API: it may
 * change in any release.
 */

export { STATUS_POLICY } from './transport/status-policy';
export type { StatusPolicyKey, StatusPolicyRow } from './transport/status-policy';
