import type { TokenCredential } from '@azure/core-auth';
import { isLoopbackHost, type ConnectionString } from '@appinsights-otel/core';
import { QueryClient } from '@appinsights-otel/query';
import type { StepResult } from './doctor-types';

/** How often the step asks whether the page view has arrived. */
const POLL_MILLIS = 500;

/** What the landed step looks up, and with what. */
export interface RelayLandedCheck {
  readonly connectionString: ConnectionString;
  /** The doctor's credential; without one the step is skipped. */
  readonly credential?: TokenCredential;
  /** The name of the page view the relay step sent. */
  readonly pageViewName: string;
  /** How long to wait for it: the relay forwards in batches. */
  readonly timeoutMillis: number;
}

/** Why the step cannot run for this connection string and credential, if it cannot. */
function skipReason(check: RelayLandedCheck): string | undefined {
  if (!isLoopbackHost(new URL(check.connectionString.ingestionEndpoint).hostname)) return 'the ingestion endpoint is not a local emulator (a real resource shows the page view in pageViews after a few minutes)';
  if (check.connectionString.applicationId === undefined) return 'the connection string has no ApplicationId to query';
  if (check.credential === undefined) return 'no credential to query the emulator with';
  return undefined;
}

/**
 * With a local emulator's connection string (loopback ingestion endpoint with an `ApplicationId`),
 * asks the emulator's query API, until `timeoutMillis`, whether the relay's page view has landed
 * in `pageViews` under the server's resource. Skipped for a real resource: ingestion there takes
 * minutes, longer than a doctor run.
 */
export async function checkRelayLanded(check: RelayLandedCheck): Promise<StepResult> {
  const reason = skipReason(check);
  if (reason !== undefined) return { step: 'relay-stored', status: 'skip', summary: reason };
  const client = new QueryClient({
    appId: check.connectionString.applicationId as string,
    credential: check.credential as TokenCredential,
    endpoint: check.connectionString.ingestionEndpoint,
    timeoutMillis: check.timeoutMillis,
  });
  const kql = `pageViews | where name == '${check.pageViewName}' | summarize n = count(), role = any(cloud_RoleName)`;
  const deadline = Date.now() + check.timeoutMillis;
  for (;;) {
    let found: { n: number; role: string } | undefined;
    try {
      const { tables } = await client.query(kql, { timespan: 'PT1H' });
      const row = tables[0]?.rows[0];
      found = row !== undefined && Number(row[0]) > 0 ? { n: Number(row[0]), role: String(row[1] ?? '') } : undefined;
    } catch (error: unknown) {
      return {
        step: 'relay-stored', status: 'fail', summary: `could not query the emulator: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'the doctor\'s identity needs the Reader role on the emulator\'s resource to check what arrived',
      };
    }
    if (found !== undefined) {
      return { step: 'relay-stored', status: 'ok', summary: `the page view landed in pageViews (cloud_RoleName ${found.role === '' ? '(none)' : found.role})` };
    }
    if (Date.now() + POLL_MILLIS > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
  }
  return {
    step: 'relay-stored', status: 'fail', summary: `the relay accepted the page view, but it is not in pageViews after ${check.timeoutMillis / 1000} s`,
    fix: 'check that the relay forwards to this connection string\'s resource, and the relay\'s diagnostics for delivery failures (401/403: the server\'s identity needs the Monitoring Metrics Publisher role)',
  };
}
