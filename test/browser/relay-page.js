/* global window -- a page script, bundled for the browser */
// The page script of the browser relay test, bundled at test time with the unmodified
// @microsoft/applicationinsights-web from npm: W3C distributed tracing, fetch/XHR tracking on,
// ingestion endpoint = the app's own origin + the relay path (set by the page, AI_CONNECTION_STRING).
import { ApplicationInsights, DistributedTracingModes } from '@microsoft/applicationinsights-web';

const appInsights = new ApplicationInsights({
  config: {
    connectionString: window.AI_CONNECTION_STRING,
    disableAjaxTracking: false,
    disableFetchTracking: false,
    distributedTracingMode: DistributedTracingModes.W3C,
    maxBatchInterval: 250,
    // The SDK fetches a configuration from its CDN (js.monitor.azure.com) by default; the test allows loopback only.
    extensionConfig: { AppInsightsCfgSyncPlugin: { blkCdnCfg: true } },
  },
});
appInsights.loadAppInsights();
appInsights.trackPageView({ name: 'shop home' });
window.appInsights = appInsights;
