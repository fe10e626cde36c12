import * as fs from 'node:fs';
import { parseConfig } from '../config/parse-config';
import { EmulatorError } from '../errors';
import { startEmulator, type EmulatorHandle } from '../start-emulator';
import { formatBanner } from './format-banner';
import { packageVersion } from './package-version';
import { parseCliArgs, USAGE } from './parse-cli-args';

/** Where the CLI writes and how it learns it must stop. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Resolves when the CLI should stop (SIGINT/SIGTERM in the real bin). */
  readonly stopSignal: Promise<string>;
  /** Called once the emulator is up (tests). */
  readonly onStarted?: (emu: EmulatorHandle) => void;
}

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let emu: EmulatorHandle;
  try {
    const options = parseCliArgs(argv);
    if (options.command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (options.command === 'version') {
      io.out(packageVersion());
      return 0;
    }
    const config = options.configPath === undefined ? undefined : parseConfig(fs.readFileSync(options.configPath, 'utf8'));
    emu = await startEmulator({
      host: options.host,
      port: options.port,
      tokenPort: options.tokenPort,
      dataDir: options.dataDir,
      inMemory: options.inMemory,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds,
      ...(config ? { config } : {}),
    });
    for (const rule of options.chaos) emu.chaos.next(rule.count, rule.action);
  } catch (e) {
    io.err(e instanceof EmulatorError ? e.message : `appinsights-emulator: ${(e as Error).message}`);
    return 2;
  }
  let signal: string;
  try {
    io.out(formatBanner(emu));
    io.onStarted?.(emu);
    signal = await io.stopSignal;
  } catch (e) {
    io.err(`appinsights-emulator: ${(e as Error).message}`);
    await emu.close();
    return 1;
  }
  io.out(`\n${signal}: stopping`);
  await emu.close();
  return 0;
}
