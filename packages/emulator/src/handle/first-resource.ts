import type { Registry } from '../config/create-registry';
import type { ResourceConfig } from '../config/emulator-config';
import { EmulatorError } from '../errors';

/** The registry's first resource (what a call that names none means). @throws EmulatorError EMU_UNKNOWN_RESOURCE when there is none */
export function firstResource(registry: Registry): ResourceConfig {
  const r = registry.resources()[0];
  if (!r) throw new EmulatorError('EMU_UNKNOWN_RESOURCE', 'the emulator has no resources');
  return r;
}

/** A resource by name, or the first. */
export function resourceOrFirst(registry: Registry, name?: string): ResourceConfig {
  return name === undefined ? firstResource(registry) : registry.resource(name);
}
