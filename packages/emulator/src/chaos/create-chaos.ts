import { validateHeaderName, validateHeaderValue } from 'node:http';

/** What a chaos rule does to one ingestion request. */
export interface ChaosAction {
  /** Answer with this status (the body is an ingestion-style JSON error). */
  readonly status?: number;
  /** Extra response headers, e.g. `{ 'Retry-After': '2' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait this long before answering (then answer normally or with `status`). */
  readonly delayMillis?: number;
  /** Never answer (until the emulator closes). */
  readonly hang?: boolean;
  /** Redirect (307 unless `status` is 308) to this URL; a URL with path `/` gets the request path appended. */
  readonly redirectTo?: string;
}

/** Chaos controls for ingestion requests. */
export interface Chaos {
  /** Applies `action` to the next `count` ingestion requests (queued after earlier rules). */
  next(count: number, action: ChaosAction): void;
  /** Removes every pending rule. */
  clear(): void;
  /** Number of requests still affected. */
  pending(): number;
  /** Takes the action for the request now arriving, if any. */
  take(): ChaosAction | undefined;
}

/** Longest chaos delay: `setTimeout` fires at once beyond 2^31-1 ms. */
const MAX_CHAOS_DELAY_MILLIS = 2_147_483_647;

function validHeader(name: string, value: string): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    return true;
  } catch {
    return false;
  }
}

/** Validates a chaos action coming from JSON (admin endpoint, CLI); returns an error message or undefined. */
export function checkChaosAction(a: unknown): string | undefined {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) return 'a chaos action must be an object';
  const o = a as Record<string, unknown>;
  // 1xx is not a final answer: the client would wait forever (use "hang" for that).
  if (o['status'] !== undefined && !(Number.isInteger(o['status']) && (o['status'] as number) >= 200 && (o['status'] as number) <= 599)) return '"status" must be a final HTTP status (200-599)';
  if (o['delayMillis'] !== undefined && !(typeof o['delayMillis'] === 'number' && o['delayMillis'] >= 0 && o['delayMillis'] <= MAX_CHAOS_DELAY_MILLIS)) {
    return `"delayMillis" must be a number from 0 to ${MAX_CHAOS_DELAY_MILLIS}`;
  }
  if (o['hang'] !== undefined && typeof o['hang'] !== 'boolean') return '"hang" must be a boolean';
  if (o['redirectTo'] !== undefined) {
    if (typeof o['redirectTo'] !== 'string' || !URL.canParse(o['redirectTo'])) return '"redirectTo" must be an absolute URL';
  }
  if (o['headers'] !== undefined) {
    const h = o['headers'];
    if (h === null || typeof h !== 'object' || Array.isArray(h) || !Object.values(h).every((v) => typeof v === 'string')) return '"headers" must map names to strings';
    if (!Object.entries(h as Record<string, string>).every(([k, v]) => validHeader(k, v))) return '"headers" must hold valid HTTP header names and values';
  }
  return undefined;
}

/** Creates an empty chaos queue. */
export function createChaos(): Chaos {
  const queue: { remaining: number; action: ChaosAction }[] = [];
  return {
    next(count, action) {
      if (!Number.isInteger(count) || count <= 0) throw new RangeError('chaos.next: count must be a positive integer');
      queue.push({ remaining: count, action });
    },
    clear() {
      queue.length = 0;
    },
    pending: () => queue.reduce((n, r) => n + r.remaining, 0),
    take() {
      const head = queue[0];
      if (!head) return undefined;
      head.remaining -= 1;
      if (head.remaining === 0) queue.shift();
      return head.action;
    },
  };
}
