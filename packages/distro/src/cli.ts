#!/usr/bin/env node
/**
 * The `appinsights-otel` command: `appinsights-otel doctor` checks that this machine can send
 * telemetry to Application Insights with Microsoft Entra ID. See `appinsights-otel doctor --help`.
 */
import { runCli } from './cli/run-cli';

runCli(process.argv.slice(2), process.env, (text) => console.log(text)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    console.error(`appinsights-otel: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
