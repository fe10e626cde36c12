#!/usr/bin/env node
import { runCli } from './cli/run-cli';

const stopSignal = new Promise<string>((resolve) => {
  process.once('SIGINT', () => resolve('SIGINT'));
  process.once('SIGTERM', () => resolve('SIGTERM'));
});

runCli(process.argv.slice(2), {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  stopSignal,
}).then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
