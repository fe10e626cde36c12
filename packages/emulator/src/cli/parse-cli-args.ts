import * as os from 'node:os';
import * as path from 'node:path';
import { checkChaosAction, type ChaosAction } from '../chaos/create-chaos';
import { EmulatorError } from '../errors';

/** Parsed `appinsights-emulator start` options. */
export interface CliOptions {
  readonly command: 'start' | 'help' | 'version';
  readonly host: string;
  readonly port: number;
  readonly tokenPort: number;
  readonly dataDir: string;
  readonly configPath?: string;
  readonly inMemory: boolean;
  readonly tokenLifetimeSeconds: number;
  /** Chaos rules to queue at start: `{ count, ...ChaosAction }`. */
  readonly chaos: readonly { count: number; action: ChaosAction }[];
}

/** Default http port of the CLI (the programmatic API defaults to 0). */
export const DEFAULT_CLI_PORT = 47100;
/** Default https token issuer port of the CLI. */
const DEFAULT_CLI_TOKEN_PORT = 47101;

/** Usage text. */
export const USAGE = `Usage: appinsights-emulator start [options]
       appinsights-emulator --version

  --port <n>             http port: ingestion, query API, managed identity endpoint (default ${DEFAULT_CLI_PORT}; 0 = any free port)
  --token-port <n>       https port of the token issuer (default ${DEFAULT_CLI_TOKEN_PORT}, or 0 when --port is 0; 0 = any free port)
  --host <addr>          interface to bind (default 127.0.0.1)
  --data-dir <dir>       SQLite database and certificate (default <tmp>/appinsights-emulator)
  --config <file>        JSON file with tenantId, resources, identities, roleAssignments
  --in-memory            keep telemetry in memory instead of SQLite
  --token-lifetime <s>   lifetime of issued tokens in seconds (default 3600)
  --chaos <json>         queue a chaos rule, e.g. '{"count":3,"status":503,"headers":{"Retry-After":"1"}}' (repeatable)
  -h, --help             show this help
  -v, --version          print the version and exit

It prints the connection string and ready-to-paste environment lines, then runs until Ctrl+C (SIGINT) or SIGTERM.
`;

function usageError(message: string): EmulatorError {
  return new EmulatorError('EMU_CONFIG', `${message}\n\n${USAGE}`);
}

function port(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0 || n > 65535) throw usageError(`${flag} needs a port number (0-65535)`);
  return n;
}

/** Parses the CLI arguments (without `node` and the script). Throws `EMU_CONFIG` with usage on a mistake. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const [command, ...rest] = argv;
  const base = {
    host: '127.0.0.1', port: DEFAULT_CLI_PORT, tokenPort: DEFAULT_CLI_TOKEN_PORT,
    dataDir: path.join(os.tmpdir(), 'appinsights-emulator'), inMemory: false, tokenLifetimeSeconds: 3600,
  };
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help', ...base, chaos: [] };
  if (command === 'version' || command === '--version' || command === '-v') return { command: 'version', ...base, chaos: [] };
  if (command !== 'start') throw usageError(`unknown command '${command}'`);
  const o: { -readonly [K in keyof CliOptions]: CliOptions[K] } = { command: 'start', ...base, chaos: [] };
  const chaos: { count: number; action: ChaosAction }[] = [];
  let tokenPortGiven = false;
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help', ...base, chaos: [] };
  if (rest.includes('--version') || rest.includes('-v')) return { command: 'version', ...base, chaos: [] };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] as string;
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string | undefined => inline ?? rest[++i];
    switch (name) {
      case '--port': o.port = port(name, value()); break;
      case '--token-port': o.tokenPort = port(name, value()); tokenPortGiven = true; break;
      case '--host': { const v = value(); if (!v) throw usageError('--host needs an address'); o.host = v; break; }
      case '--data-dir': { const v = value(); if (!v) throw usageError('--data-dir needs a directory'); o.dataDir = path.resolve(v); break; }
      case '--config': { const v = value(); if (!v) throw usageError('--config needs a file'); o.configPath = path.resolve(v); break; }
      case '--in-memory': o.inMemory = true; break;
      case '--token-lifetime': {
        const n = Number(value());
        if (!Number.isInteger(n) || n <= 0) throw usageError('--token-lifetime needs a positive number of seconds');
        o.tokenLifetimeSeconds = n;
        break;
      }
      case '--chaos': {
        let parsed: unknown;
        try { parsed = JSON.parse(value() ?? ''); } catch { throw usageError('--chaos needs a JSON object'); }
        const problem = checkChaosAction(parsed);
        if (problem) throw usageError(`--chaos: ${problem}`);
        const { count = 1, ...action } = parsed as Record<string, unknown>;
        if (!Number.isInteger(count) || (count as number) <= 0) throw usageError('--chaos: "count" must be a positive integer');
        chaos.push({ count: count as number, action: action as ChaosAction });
        break;
      }
      default: throw usageError(`unknown option '${flag}'`);
    }
  }
  // `--port 0` asks for free ports: do not leave the token issuer on its fixed default.
  if (o.port === 0 && !tokenPortGiven) o.tokenPort = 0;
  o.chaos = chaos;
  return o;
}
