/** An instrumentation key reduced to its first 8 characters, safe to log. */
export function maskInstrumentationKey(instrumentationKey: string): string {
  return `${instrumentationKey.slice(0, 8)}...`;
}
