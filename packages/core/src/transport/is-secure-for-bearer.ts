import { isLoopbackHost } from '../config/is-loopback-host';

/** Whether a bearer token may be sent to `url`: https, or plain http to a loopback host only. */
export function isSecureForBearer(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
