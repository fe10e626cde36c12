import { context, diag, propagation, ROOT_CONTEXT } from '@opentelemetry/api';

const log = diag.createComponentLogger({ namespace: '@appinsights-otel/distro' });

/** The module the Azure Functions Node.js worker provides to the app (not an npm package). */
const FUNCTIONS_CORE_MODULE = '@azure/functions-core';

/** The pre-invocation hook context of `@azure/functions-core` (programming models v3 and v4), as far as we use it. */
interface PreInvocationContext {
  readonly invocationContext?: unknown;
  functionCallback: (...args: unknown[]) => unknown;
}

interface FunctionsCore {
  registerHook(name: 'preInvocation', callback: (hookContext: PreInvocationContext) => void): { dispose(): void } | undefined;
}

/**
 * Under Azure Functions (`FUNCTIONS_WORKER_RUNTIME=node`), registers a `preInvocation` hook with
 * the worker's `@azure/functions-core` so that each invocation's function runs in the trace context
 * the host passes (`traceContext.traceParent`/`traceState` in programming model v4,
 * `traceparent`/`tracestate` in v3): spans and logs of the invocation join the host's operation.
 * Elsewhere, or when the worker provides no such module, does nothing (and loads nothing).
 *
 * @param platform - The platform variables of the resolved settings (`FUNCTIONS_WORKER_RUNTIME`).
 * @param load - Module loader (default `require`; tests pass a fake).
 * @returns A function that removes the hook, or `undefined` when none was registered.
 */
export function registerFunctionsHook(platform: Readonly<Record<string, string | undefined>>, load: (id: string) => unknown = require): (() => void) | undefined {
  if (platform['FUNCTIONS_WORKER_RUNTIME']?.trim().toLowerCase() !== 'node') return undefined;
  let core: FunctionsCore;
  try {
    core = load(FUNCTIONS_CORE_MODULE) as FunctionsCore;
  } catch {
    log.debug(`${FUNCTIONS_CORE_MODULE} is not available (an older Functions host?); invocations will not join the host's trace`);
    return undefined;
  }
  if (typeof core?.registerHook !== 'function') return undefined;
  const disposable = core.registerHook('preInvocation', (hookContext) => {
    const carrier = traceContextCarrier(hookContext.invocationContext);
    if (carrier === undefined) return;
    const parent = propagation.extract(ROOT_CONTEXT, carrier);
    hookContext.functionCallback = context.bind(parent, hookContext.functionCallback);
  });
  log.debug('Azure Functions: invocations run in the trace context of the host');
  return () => disposable?.dispose();
}

/** `{ traceparent, tracestate }` from an invocation context, or `undefined` when it has no trace parent. */
function traceContextCarrier(invocationContext: unknown): Record<string, string> | undefined {
  const traceContext = (invocationContext as { traceContext?: Record<string, unknown> } | undefined)?.traceContext;
  if (traceContext === undefined || traceContext === null) return undefined;
  const traceParent = traceContext['traceParent'] ?? traceContext['traceparent'];
  const traceState = traceContext['traceState'] ?? traceContext['tracestate'];
  if (typeof traceParent !== 'string' || traceParent === '') return undefined;
  return typeof traceState === 'string' && traceState !== '' ? { traceparent: traceParent, tracestate: traceState } : { traceparent: traceParent };
}
