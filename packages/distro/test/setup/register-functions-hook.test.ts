import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerFunctionsHook } from '../../src/setup/register-functions-hook';

/**
 * No Azure Functions host can run here: a fake `@azure/functions-core` (the module the Node.js
 * worker provides) records the hook and plays the worker's part of an invocation.
 */
function fakeFunctionsCore() {
  const hooks: Array<(hookContext: { invocationContext: unknown; functionCallback: (...args: unknown[]) => unknown }) => void> = [];
  const dispose = jest.fn();
  return {
    dispose,
    hooks,
    module: { registerHook: jest.fn((_name: string, hook: (typeof hooks)[number]) => { hooks.push(hook); return { dispose }; }) },
    /** What the worker does: run the pre-invocation hooks, then the (possibly replaced) callback. */
    invoke(invocationContext: unknown, callback: () => unknown): unknown {
      const hookContext = { invocationContext, functionCallback: callback as (...args: unknown[]) => unknown };
      for (const hook of hooks) hook(hookContext);
      return hookContext.functionCallback();
    },
  };
}

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const activeTraceIds = (): { traceId?: string; spanId?: string; state?: string } => {
  const span = trace.getSpanContext(context.active());
  return span === undefined ? {} : { traceId: span.traceId, spanId: span.spanId, ...(span.traceState ? { state: span.traceState.serialize() } : {}) };
};

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => { context.disable(); propagation.disable(); });

describe('registerFunctionsHook (Azure Functions pre-invocation hook)', () => {
  it.each([
    ['programming model v4 (traceParent / traceState)', { traceContext: { traceParent: `00-${TRACE_ID}-${SPAN_ID}-01`, traceState: 'az=1' } }, { traceId: TRACE_ID, spanId: SPAN_ID, state: 'az=1' }],
    ['programming model v3 (traceparent / tracestate)', { traceContext: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: null } }, { traceId: TRACE_ID, spanId: SPAN_ID }],
    ['no trace context from the host', { traceContext: {} }, {}],
    ['no invocation context at all', undefined, {}],
  ])('%s: the function runs in the host\'s trace context', (_case, invocationContext, expected) => {
    const core = fakeFunctionsCore();
    const remove = registerFunctionsHook({ FUNCTIONS_WORKER_RUNTIME: 'node' }, () => core.module);
    expect(remove).toBeInstanceOf(Function);
    expect(core.module.registerHook).toHaveBeenCalledWith('preInvocation', expect.any(Function));
    expect(core.invoke(invocationContext, activeTraceIds)).toEqual(expected);
    remove?.();
    expect(core.dispose).toHaveBeenCalledTimes(1);
  });

  it('keeps the context for the asynchronous part of the function too', async () => {
    const core = fakeFunctionsCore();
    registerFunctionsHook({ FUNCTIONS_WORKER_RUNTIME: 'node' }, () => core.module);
    const ids = await core.invoke({ traceContext: { traceParent: `00-${TRACE_ID}-${SPAN_ID}-01` } }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return activeTraceIds();
    });
    expect(ids).toEqual({ traceId: TRACE_ID, spanId: SPAN_ID });
  });

  it.each([
    ['outside Functions', {}],
    ['another worker runtime', { FUNCTIONS_WORKER_RUNTIME: 'python' }],
  ])('%s: loads nothing', (_case, env) => {
    const load = jest.fn();
    expect(registerFunctionsHook(env, load)).toBeUndefined();
    expect(load).not.toHaveBeenCalled();
  });

  it('a worker without @azure/functions-core: no hook, no throw', () => {
    expect(registerFunctionsHook({ FUNCTIONS_WORKER_RUNTIME: 'node' }, () => { throw new Error("Cannot find module '@azure/functions-core'"); })).toBeUndefined();
    expect(registerFunctionsHook({ FUNCTIONS_WORKER_RUNTIME: 'node' }, () => ({}))).toBeUndefined();
  });
});
