import { Agent, EnvHttpProxyAgent, request } from 'undici';
import * as home from '../../src/transport/undici';
import { GLOBAL_DISPATCHER_SYMBOLS, loadWithoutGlobalDispatcher } from '../../src/transport/undici';

const [V1, V2] = GLOBAL_DISPATCHER_SYMBOLS as [symbol, symbol];

/** Sets a global-dispatcher symbol the way undici does: non-configurable, writable. */
function define(target: object, symbol: symbol, value: unknown): void {
  Object.defineProperty(target, symbol, { value, writable: true, enumerable: false, configurable: false });
}

/** What loading undici 7 does to the globals: reads `.1`, and when unset defines both to a new Agent. */
function undici7Load(target: object, agent: object): () => string {
  return () => {
    if (Reflect.get(target, V1) === undefined) { define(target, V1, agent); define(target, V2, agent); }
    return 'undici module';
  };
}

const ours = { name: 'ours' };
const app = { name: 'app' };
const node = { name: 'node' };

describe('loadWithoutGlobalDispatcher', () => {
  it.each<[string, (target: object) => void, unknown, unknown]>([
    ['nothing set: undici installs none', () => undefined, undefined, undefined],
    ['the app set both: the same object stays', (t) => { define(t, V1, app); define(t, V2, app); }, app, app],
    ['an older undici set .1 only: nothing changes', (t) => define(t, V1, app), app, undefined],
    ['only .2 set (undici overwrites it): it gets its value back', (t) => define(t, V2, app), undefined, app],
  ])('%s', (_name, arrange, expected1, expected2) => {
    const target = {};
    arrange(target);
    expect(loadWithoutGlobalDispatcher(undici7Load(target, ours), target)).toBe('undici module');
    expect([Reflect.get(target, V1), Reflect.get(target, V2)]).toEqual([expected1, expected2]);
  });

  it("loads Node's own undici first (the lazy `Headers`), whose dispatcher undici then finds and keeps", () => {
    const order: string[] = [];
    const target = {};
    Object.defineProperty(target, 'Headers', {
      get: () => { order.push('Headers'); if (Reflect.get(target, V1) === undefined) define(target, V1, node); return class {}; },
    });
    const load = undici7Load(target, ours);
    loadWithoutGlobalDispatcher(() => { order.push('load'); return load(); }, target);
    expect(order).toEqual(['Headers', 'load']);
    expect([Reflect.get(target, V1), Reflect.get(target, V2)]).toEqual([node, undefined]);
  });

  it('puts the values back when loading throws, and rethrows', () => {
    const target = {};
    const failure = new Error('cannot load');
    expect(() => loadWithoutGlobalDispatcher(() => { undici7Load(target, ours)(); throw failure; }, target)).toThrow(failure);
    expect([Reflect.get(target, V1), Reflect.get(target, V2)]).toEqual([undefined, undefined]);
  });
});

describe('transport/undici', () => {
  it("exports undici's own Agent, EnvHttpProxyAgent and request", () => {
    expect([home.Agent, home.EnvHttpProxyAgent, home.request]).toEqual([Agent, EnvHttpProxyAgent, request]);
  });
});
