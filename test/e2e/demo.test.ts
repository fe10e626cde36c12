import * as path from 'node:path';
import { REPO_ROOT, requireBuilt, runNode } from '../fixtures/apps/run-node';

describe('npm run demo (scripts/demo.js)', () => {
  it('runs end to end by itself, prints the requests it made as query results, and explains the misconfigured identity', async () => {
    requireBuilt('distro/dist/cli.js', 'distro/dist/setup/use-azure-monitor.js', 'query/dist/query-client.js', 'emulator/dist/start-emulator.js');
    const run = await runNode([path.join(REPO_ROOT, 'scripts', 'demo.js')], {}, 60_000);
    expect(run.stderr).not.toContain('NETWORK GUARD');
    expect(run.code).toBe(0);
    const out = run.stdout;

    // the traffic it drove...
    for (const [route, status] of [['/', 200], ['/orders/17', 200], ['/orders/42', 200], ['/checkout', 500], ['/no-such-page', 404], ['/orders/7', 200]] as const) {
      expect(out).toMatch(new RegExp(`GET ${route.replace(/\//g, '\\/')} +-> ${status}`));
    }
    // ...comes back from `requests | take 10` through the query API, one row per request
    const takeSection = out.slice(out.indexOf('> requests | take 10'), out.indexOf('> requests | summarize'));
    for (const [route, status] of [['/orders/17', '200'], ['/checkout', '500'], ['/no-such-page', '404']] as const) {
      expect(takeSection).toMatch(new RegExp(`GET ${route.replace(/\//g, '\\/')} +http://127\\.0\\.0\\.1:\\d+${route.replace(/\//g, '\\/')} +(True|False) +${status}`));
    }
    expect(takeSection).toContain('(6 rows;');
    // ...and from the summarize
    const summarize = out.slice(out.indexOf('> requests | summarize'), out.indexOf('> traces'));
    expect(summarize).toMatch(/200 +4/);
    expect(summarize).toMatch(/404 +1/);
    expect(summarize).toMatch(/500 +1/);
    expect(out).toContain('checkout failed: payment provider declined the card');

    // Live Metrics: the emulator received the app's posts, with the traffic's rates and sample documents
    expect(out).toMatch(/Live Metrics: the emulator received \d+ ping\(s\) and \d+ posts/);
    expect(out).toMatch(/rates x intervals: 6 requests, 2 failed, 1 exceptions/);
    expect(out).toMatch(/sample documents: .*GET \/checkout \(500\)/);
    // performance counters under the portal's names, queried back
    const counters = out.slice(out.indexOf('> performanceCounters'), out.indexOf('=== 4.'));
    expect(counters).toMatch(/Processor +% Processor Time +_Total/);
    expect(counters).toMatch(/Process +Private Bytes/);
    expect(counters).toMatch(/ASP\.NET Applications +Requests\/Sec/);

    // the misconfigured identity gets explanations, not just status codes
    expect(out).toMatch(/AuthError \(403\): .*Reader role/);
    expect(out).toMatch(/\[FAIL\] ingestion +403 .*lacks the Monitoring Metrics Publisher role/);
    expect(out).toMatch(/\[FAIL\] live-metrics 403 .*lacks the Monitoring Metrics Publisher role/);
    expect(out).toMatch(/^=== Done/m);
  }, 90_000); // the demo runs a whole app, Live Metrics and the first KQL query (which loads Kusto.Language)
});
