import * as fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import * as path from 'node:path';

/** Where the build puts the bundled page (`packages/emulator/dist/inspector-ui`), from src/ or dist/. */
export const INSPECTOR_ASSETS_DIR = path.join(__dirname, '..', '..', 'dist', 'inspector-ui');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

/** Headers every inspector response carries: nothing but this origin may be loaded, framed or sniffed. */
export const INSPECTOR_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Serves one file of the bundled page (`name` has no directory part); false when there is none. */
export function serveInspectorAsset(res: ServerResponse, assetsDir: string, name: string): boolean {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return false;
  const type = TYPES[path.extname(name)];
  if (!type) return false;
  let body: Buffer;
  try {
    body = fs.readFileSync(path.join(assetsDir, name));
  } catch {
    return false;
  }
  res.writeHead(200, { 'content-type': type, 'content-length': body.length, ...INSPECTOR_SECURITY_HEADERS });
  res.end(body);
  return true;
}
