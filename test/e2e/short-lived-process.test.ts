import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startIngestionServer, type IngestionServer } from '../fixtures/delivery/ingestion-server';
import { REPO_ROOT } from '../fixtures/delivery/run-child';

/**
 * A short-lived process exports while ingestion is down and then simply returns: no exit(), no
 * shutdown(). Retries, backoff, the drain loop and keep-alive sockets must not keep it alive (every
 * timer unref'd), and what the callback reported as SUCCESS must already be on disk.
 */
const CHILD_SCRIPT = `
const path = require('node:path');
const { createTestPipeline } = require(path.join(process.cwd(), 'test/fixtures/delivery/pipeline-factory.ts'));
const { envelopeFor } = require(path.join(process.cwd(), 'test/fixtures/delivery/ingestion-server.ts'));
const { DEFAULT_SEND_GATE_POLICY } = require(path.join(process.cwd(), 'packages/core/src/delivery/send-gate.ts'));
const settings = JSON.parse(process.env.AI_CHILD_SETTINGS);
const pipeline = createTestPipeline({ ...settings, gatePolicy: DEFAULT_SEND_GATE_POLICY });
pipeline.export([envelopeFor('short-lived')], (result) => {
  process.stdout.write('RESULT ' + result.code + '\\n');
  pipeline.export([envelopeFor('second')], (again) => process.stdout.write('RESULT ' + again.code + '\\n'));
});
`;

/** Hang guard only (the child is killed if it never exits); not a performance assertion. */
const HANG_GUARD_MILLIS = 25_000;

function runChild(settings: Record<string, unknown>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      '--require', path.join(REPO_ROOT, 'scripts', 'network-guard.cjs'),
      '--require', path.join(REPO_ROOT, 'test', 'fixtures', 'delivery', 'register-ts.js'),
      '-e', CHILD_SCRIPT,
    ], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', AI_NETWORK_GUARD: 'fatal', AI_CHILD_SETTINGS: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MILLIS);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

describe('a short-lived process while ingestion is down', () => {
  let server: IngestionServer;
  let dir: string;

  beforeEach(async () => {
    server = await startIngestionServer();
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ai-e2e-short-'));
  });
  afterEach(async () => {
    await server.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('exits by itself after its exports were called back, with the items queued on disk', async () => {
    server.answer = () => ({ status: 503 });
    const run = await runChild({ endpoint: server.url, directory: dir, exportTimeoutMillis: 1_000 });
    expect(run.stderr).not.toContain('NETWORK GUARD');
    expect(run.signal).toBeNull(); // not killed by the hang guard: nothing kept the event loop alive
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('RESULT '))).toEqual(['RESULT 0', 'RESULT 0']); // SUCCESS (queued)
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.accepted.size).toBe(0);
    const queued = fs.readdirSync(dir).filter((n) => n.endsWith('.ai'));
    expect(queued).toHaveLength(2);
  }, HANG_GUARD_MILLIS + 10_000);
});
