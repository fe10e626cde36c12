/**
 * The one home of the runtime import of undici in this repository's packages (eslint refuses any
 * other; `import type` from 'undici' may stay where it is).
 *
 * Loading undici runs its `lib/global.js`, which installs a new `Agent` as the process-wide global
 * dispatcher when none is set yet. Node's built-in `fetch` reads that same global, so merely loading
 * this library would move the app's `fetch` calls onto our copy of undici. Putting `undefined` back
 * afterwards is not enough: undici reads `globalThis.Headers` while it loads, which loads Node's own
 * bundled undici, whose global dispatcher is installed only then, at its load, and only when none is
 * set; finding ours, it installs none, and with ours taken away Node's `fetch` has no dispatcher at
 * all (an assertion error on Node 20, 22, 24 and 26). So Node's own undici is loaded first: it
 * installs Node's own dispatcher when there is none, exactly as the app's first `fetch` would, and
 * undici then finds it and installs nothing. Loading also puts back any global-dispatcher value
 * undici changed (where Node has no `fetch`). A dispatcher the app or Node had set already is left
 * alone, now and later. Our own requests never use the global dispatcher: they always pass one of
 * ours (`createDefaultDispatcher`, `sharedDefaultDispatcher`).
 */
import type * as UndiciModule from 'undici';

/** The globals undici keeps its global dispatcher in (`.1` is the one undici reads, `.2` the newer one). */
export const GLOBAL_DISPATCHER_SYMBOLS: readonly symbol[] = [
  Symbol.for('undici.globalDispatcher.1'),
  Symbol.for('undici.globalDispatcher.2'),
];

/**
 * Loads Node's own undici first (reading `target.Headers`, lazy on Node 20-26: Node installs its own
 * global dispatcher then, if none is set), then runs `load`, and afterwards gives each
 * global-dispatcher symbol of `target` back the value it had before, if `load` changed it: loading
 * undici installs no global dispatcher of its own, and replaces none.
 *
 * @param load - What loads undici (a `require`).
 * @param target - The global object (a stand-in in tests).
 * @returns What `load` returned.
 */
export function loadWithoutGlobalDispatcher<T>(load: () => T, target: object = globalThis): T {
  Reflect.get(target, 'Headers');
  const before = GLOBAL_DISPATCHER_SYMBOLS.map((symbol) => Reflect.get(target, symbol) as unknown);
  try {
    return load();
  } finally {
    GLOBAL_DISPATCHER_SYMBOLS.forEach((symbol, i) => {
      // undici defines these non-configurable but writable: a value can be put back, not the absence.
      if (Reflect.get(target, symbol) !== before[i]) Reflect.set(target, symbol, before[i]);
    });
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a require, so it runs inside the wrapper
const undici = loadWithoutGlobalDispatcher(() => require('undici') as typeof UndiciModule);

/** undici's `Agent`, `EnvHttpProxyAgent` and `request`, loaded without a global dispatcher left behind. */
export const { Agent, EnvHttpProxyAgent, request } = undici;
export type { Dispatcher } from 'undici';
