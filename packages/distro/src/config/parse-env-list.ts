/**
 * The entries of a comma-separated environment variable (`OTEL_NODE_RESOURCE_DETECTORS`,
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS`, `OTEL_TRACES_EXPORTER`, ...): trimmed, lower-cased, blanks
 * dropped, in order. Unset or blank gives `[]`.
 *
 * @param raw - The variable's value.
 */
export function parseEnvList(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const entries: string[] = [];
  for (const item of raw.split(',')) {
    const entry = item.trim().toLowerCase();
    if (entry !== '') entries.push(entry);
  }
  return entries;
}
