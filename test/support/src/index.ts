/** Shared helpers for cross-package tests (private). */
export { startFakeIngestion, countingCredential } from './fake-ingestion';
export type { FakeIngestion, ReceivedRequest } from './fake-ingestion';
