'use strict';

/**
 * Environment for bench child processes: ours, minus anything that could point them elsewhere
 * (Azure/Application Insights/OTel settings, identity endpoints, proxies, extra preloads or CAs).
 * The network guard refuses and prints (not fatal), so every attempt is seen and reported.
 */
function baseChildEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^(APPLICATIONINSIGHTS_|APPINSIGHTS_|APPLICATION_INSIGHTS_|AZURE_|OTEL_|IDENTITY_|MSI_)/i.test(key)) delete env[key];
    if (/^(https?_proxy|all_proxy|no_proxy|NODE_OPTIONS|NODE_EXTRA_CA_CERTS)$/i.test(key)) delete env[key];
  }
  env.AI_NETWORK_GUARD = 'report';
  return env;
}

module.exports = { baseChildEnv };
