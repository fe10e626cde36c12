import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkChaosAction, type Chaos, type ChaosAction } from '../chaos/create-chaos';
import { readSmallBody, sendJson } from './http-io';

/** Whether a socket address is loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

/**
 * `POST /admin/chaos` with `{ count, status?, delayMillis?, hang?, redirectTo?, headers? }` queues a
 * rule; `DELETE /admin/chaos` clears; `GET /admin/chaos` reports how many requests are still affected.
 * Loopback clients only.
 */
export async function handleAdminChaos(req: IncomingMessage, res: ServerResponse, chaos: Chaos): Promise<number> {
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    req.resume();
    sendJson(res, 403, { error: 'the admin endpoint answers loopback clients only' });
    return 403;
  }
  if (req.method === 'DELETE') {
    chaos.clear();
    sendJson(res, 200, { pending: 0 });
    return 200;
  }
  if (req.method === 'GET') {
    sendJson(res, 200, { pending: chaos.pending() });
    return 200;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: 'use GET, POST or DELETE' });
    return 405;
  }
  const text = await readSmallBody(req, 64 * 1024);
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    sendJson(res, 400, { error: 'the body must be JSON' });
    return 400;
  }
  const problem = checkChaosAction(body);
  const count = (body as Record<string, unknown> | null)?.['count'] ?? 1;
  if (problem || !Number.isInteger(count) || (count as number) <= 0) {
    sendJson(res, 400, { error: problem ?? '"count" must be a positive integer' });
    return 400;
  }
  const { count: _c, ...action } = body as Record<string, unknown>;
  void _c;
  chaos.next(count as number, action as ChaosAction);
  sendJson(res, 200, { pending: chaos.pending() });
  return 200;
}
