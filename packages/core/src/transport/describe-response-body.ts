const MAX_MESSAGES = 3;
const MAX_MESSAGE_CHARS = 200;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_CHARS ? `${oneLine.slice(0, MAX_MESSAGE_CHARS)}...` : oneLine;
}

function messagesOf(parsed: unknown): string[] {
  if (parsed === null || typeof parsed !== 'object') return [];
  const record = parsed as Record<string, unknown>;
  const found: string[] = [];
  if (Array.isArray(record.errors)) {
    for (const e of record.errors) {
      const message = e !== null && typeof e === 'object' ? (e as Record<string, unknown>).message : undefined;
      if (typeof message === 'string') found.push(message);
    }
  }
  const error = record.error;
  if (typeof error === 'string') found.push(error);
  else if (error !== null && typeof error === 'object') {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === 'string') found.push(message);
  }
  if (typeof record.message === 'string') found.push(record.message);
  return found;
}

/**
 * A short, log-safe account of an error response body: the service's own error messages when the
 * body is JSON (`errors[].message`, `error.message`, `message`; at most 3, 200 characters each),
 * otherwise only its size. Raw non-JSON bodies are never quoted (a proxy or a server may echo the
 * request, payload and headers included).
 */
export function describeResponseBody(bodyText: string): string {
  if (bodyText.trim() === '') return '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return ` (${Buffer.byteLength(bodyText, 'utf8')}-byte non-JSON body)`;
  }
  const messages = [...new Set(messagesOf(parsed).map(clip).filter((m) => m !== ''))].slice(0, MAX_MESSAGES);
  return messages.length > 0 ? `: ${messages.join('; ')}` : '';
}
