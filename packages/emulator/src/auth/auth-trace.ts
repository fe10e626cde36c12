import { AsyncLocalStorage } from 'node:async_hooks';
import type { Registry } from '../config/create-registry';
import type { RoleName } from '../config/emulator-config';
import type { TokenClaims } from './create-token-signer';

/** Which bearer check decided: `ok`, or the first one that failed. */
export type BearerOutcome = 'ok' | 'missing' | 'not-bearer' | 'invalid' | 'issuer' | 'audience' | 'expired' | 'not-yet-valid';

/** A bearer check as it happened: decoded claims (never the token itself) and its outcome. */
export interface BearerDecision {
  readonly outcome: BearerOutcome;
  /** The check's own description of a failure. */
  readonly description?: string;
  /** Claims of a token whose signature verified (also when a later check failed). */
  readonly claims?: TokenClaims;
  /** Audiences the endpoint accepts (the first is the one to ask for). */
  readonly audiences: readonly string[];
}

/** One role look-up made while authorizing a request. */
interface RoleCheck {
  readonly objectId: string;
  readonly resource: string;
  readonly role: RoleName;
  readonly held: boolean;
}

/** What the authorization of one request looked at, in order. */
export interface AuthTrace {
  bearer?: BearerDecision;
  readonly roleChecks: RoleCheck[];
}

const current = new AsyncLocalStorage<AuthTrace>();

/** Runs `fn` so that bearer and role checks made during it (also after awaits) are recorded in `trace`. */
export function runWithAuthTrace<T>(trace: AuthTrace, fn: () => T): T {
  return current.run(trace, fn);
}

/** Records a bearer check in the trace of the request being handled (no-op outside one). */
export function recordBearerDecision(decision: BearerDecision): void {
  const trace = current.getStore();
  if (trace) trace.bearer = decision;
}

/** A registry whose role look-ups are recorded in the trace of the request being handled. */
export function traceRoleChecks(registry: Registry): Registry {
  return {
    ...registry,
    hasRole(objectId, resource, role) {
      const held = registry.hasRole(objectId, resource, role);
      current.getStore()?.roleChecks.push({ objectId, resource, role, held });
      return held;
    },
  };
}
