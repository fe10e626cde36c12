import { join } from 'node:path';
import { ConfigError, readPackageVersion } from '@appinsights-otel/core';
import { DOCTOR_USAGE, parseDoctorArgs } from '../doctor/parse-doctor-args';
import { isHealthy, runDoctor } from '../doctor/run-doctor';
import { formatReport } from './format-report';

const USAGE = `Usage: appinsights-otel <command>

Commands:
  doctor    check configuration, credential, token, audience and ingestion, step by step

Options:
  -v, --version   print the version of @appinsights-otel/distro
  -h, --help      show this help

Run "appinsights-otel doctor --help" for its options.`;

/**
 * Runs the `appinsights-otel` CLI.
 *
 * @param argv - Arguments after the program name.
 * @param env - Environment (flags win over it).
 * @param out - Where to write (one call per block of text).
 * @returns The exit code: 0 all good, 1 a check failed, 2 usage error.
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '-v' || command === '--version' || command === 'version') {
    out(readPackageVersion(join(__dirname, '..', '..')));
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'doctor') {
    out(`unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  let settings;
  try {
    settings = parseDoctorArgs(rest, env);
  } catch (error: unknown) {
    out(`${error instanceof ConfigError ? error.message : String(error)}\n\n${DOCTOR_USAGE}`);
    return 2;
  }
  if (settings === 'help') {
    out(DOCTOR_USAGE);
    return 0;
  }
  const steps = await runDoctor(settings, env);
  const healthy = isHealthy(steps);
  out(settings.json ? JSON.stringify({ healthy, steps }, null, 2) : formatReport(steps, healthy));
  return healthy ? 0 : 1;
}
