import type { IncomingMessage, ServerResponse } from 'node:http';
import { readSmallBody, sendJson } from '../server/http-io';
import { INSPECTOR_SECURITY_HEADERS } from './serve-inspector-asset';

/** A JSON object the page posted. */
export type JsonBody = Record<string, unknown>;

/** The largest body the inspector reads. */
const MAX_BODY_BYTES = 256 * 1024;

/** An inspector call the page got wrong: answered 400 `BadArgumentError` with this message. */
export class InspectorBadRequest extends Error {
  readonly code = 'EMU_INSPECTOR_BAD_REQUEST';
}

/** Answers JSON with the inspector's security headers. */
export function sendInspectorJson(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, body, { ...INSPECTOR_SECURITY_HEADERS });
}

/** Reads a JSON object body of at most 256 KB. @throws InspectorBadRequest otherwise */
export async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const text = await readSmallBody(req, MAX_BODY_BYTES);
  if (text === undefined) throw new InspectorBadRequest('the body is over 256 KB');
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as JsonBody;
  } catch {
    // fall through
  }
  throw new InspectorBadRequest('the body must be a JSON object');
}

/** A body field that must be a non-empty string. @throws InspectorBadRequest otherwise */
export function stringField(body: JsonBody, name: string): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '') throw new InspectorBadRequest(`"${name}" must be a non-empty string`);
  return v;
}

/** One inspector API call's handler; `query` is the URL's search parameters. */
type InspectorRoute = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

/** Handlers by `<METHOD> <route>`, e.g. `GET items` for `GET /inspector/api/items`. */
export type InspectorRoutes = Readonly<Record<string, InspectorRoute>>;
