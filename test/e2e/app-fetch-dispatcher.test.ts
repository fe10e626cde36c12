// Loading the library must not change how the app's `fetch` dispatches. Loading the npm `undici`
// installs a new Agent of its own as the process-wide global dispatcher when none is set, and
// Node's built-in `fetch` reads that global: core loads undici through transport/undici.ts, which
// leaves the global dispatcher to the app and Node. The global is process state, so every case runs
// in a fresh child process (with the network guard, fatal), against a loopback server of its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CORE = 'packages/core/dist/index.js';
const DISTRO = 'packages/distro/dist/index.js';
const NPM_UNDICI = 'node_modules/undici';

/** How the app set up the global dispatcher before loading `load`. */
type Arrange = 'nothing' | 'app-agent' | 'fetch-first';

/** What the child saw, per global-dispatcher symbol (`.1`, `.2`). */
interface Seen {
  readonly status: number | string;
  readonly unchangedByLoad: [boolean, boolean];
  readonly setBeforeLoad: [boolean, boolean];
  /** An instance of the npm undici's Dispatcher (ours), after the load and after the app's fetch. */
  readonly oursAfterLoad: [boolean, boolean];
  readonly oursAfterFetch: [boolean, boolean];
  /** The class of the dispatcher the app's fetch found in `.1`. */
  readonly fetchDispatcher: string;
}

const CHILD = `
const http = require('node:http');
const path = require('node:path');
const symbols = [Symbol.for('undici.globalDispatcher.1'), Symbol.for('undici.globalDispatcher.2')];
const globals = () => symbols.map((s) => globalThis[s]);
const npmUndici = () => require(path.join(process.cwd(), ${JSON.stringify(NPM_UNDICI)}));
const { arrange, load } = JSON.parse(process.env.AI_CHILD);
async function fetchLoopback() {
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch('http://127.0.0.1:' + server.address().port + '/');
    return (await response.text()) === 'ok' ? response.status : 'body ' + response.status;
  } catch (error) {
    return 'fetch failed: ' + error.message;
  } finally {
    server.close();
  }
}
(async () => {
  if (arrange === 'app-agent') { const u = npmUndici(); u.setGlobalDispatcher(new u.Agent()); }
  if (arrange === 'fetch-first') await fetchLoopback();
  const before = globals();
  if (load) require(path.join(process.cwd(), load));
  const afterLoad = globals();
  const status = await fetchLoopback();
  const afterFetch = globals();
  const ours = (value) => value instanceof npmUndici().Dispatcher;
  console.log(JSON.stringify({
    status,
    unchangedByLoad: afterLoad.map((v, i) => v === before[i]),
    setBeforeLoad: before.map((v) => v !== undefined),
    oursAfterLoad: afterLoad.map(ours),
    oursAfterFetch: afterFetch.map(ours),
    fetchDispatcher: afterFetch[0] === undefined ? 'none' : afterFetch[0].constructor.name,
  }));
})();
`;

function runChild(arrange: Arrange, load: string | null): Seen {
  const run = spawnSync(process.execPath, ['--require', path.join(REPO_ROOT, 'scripts', 'network-guard.cjs'), '-e', CHILD], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'] ?? '', AI_NETWORK_GUARD: 'fatal', AI_CHILD: JSON.stringify({ arrange, load }) },
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Seen;
}

describe("loading the library leaves the app's fetch on its own dispatcher (child processes)", () => {
  beforeAll(() => {
    const missing = [CORE, DISTRO].filter((f) => !existsSync(path.join(REPO_ROOT, f)));
    if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')}; run \`npm run build\` first (child processes load dist/)`);
  });

  // Without the library, the app's first fetch gets Node's own dispatcher ("Agent" up to Node 24).
  let nodeOwn: Seen;
  beforeAll(() => { nodeOwn = runChild('nothing', null); });

  it('control: loading the npm undici directly makes it the dispatcher of the app\'s fetch (what the test detects)', () => {
    expect(nodeOwn).toMatchObject({ status: 200, oursAfterFetch: [false, false] });
    expect(runChild('nothing', NPM_UNDICI)).toMatchObject({ status: 200, oursAfterLoad: [true, true], oursAfterFetch: [true, true] });
  });

  it.each([CORE, DISTRO])('with no global dispatcher set, loading %s installs none of ours; fetch then works on Node\'s own', (load) => {
    const seen = runChild('nothing', load);
    expect(seen).toMatchObject({ status: 200, setBeforeLoad: [false, false], oursAfterLoad: [false, false], oursAfterFetch: [false, false] });
    expect(seen.fetchDispatcher).toBe(nodeOwn.fetchDispatcher);
  });

  it.each<[Arrange, string]>([
    ['app-agent', CORE], ['app-agent', DISTRO], ['fetch-first', CORE], ['fetch-first', DISTRO],
  ])('a dispatcher set before (%s) is the same object after loading %s, and fetch still works', (arrange, load) => {
    const seen = runChild(arrange, load);
    expect(seen).toMatchObject({ status: 200, unchangedByLoad: [true, true] });
    expect(seen.setBeforeLoad[0]).toBe(true);
  });
});
