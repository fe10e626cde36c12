import type { Registry } from '../config/create-registry';

/** The resource a call names, or the registry's first one when it names none ('' when there is none). */
export function resourceOrDefault(registry: Registry, name: string | null | undefined): string {
  return name ?? registry.resources()[0]?.name ?? '';
}
