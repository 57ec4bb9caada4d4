import type { ApiDefinition } from './api-definition';

/** The version range one API key is served at. */
export interface ApiVersionRange {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/**
 * Maps API keys to their {@link ApiDefinition}. One registry per broker
 * instance; ApiVersions reads {@link ApiRegistry.versionRanges} so it advertises
 * exactly what is registered.
 */
export class ApiRegistry {
  private readonly byKey = new Map<number, ApiDefinition>();

  /** Registers an API; throws if its key is already registered. */
  register(definition: ApiDefinition): this {
    if (this.byKey.has(definition.apiKey)) {
      throw new Error(`API key ${definition.apiKey} (${definition.name}) is already registered`);
    }
    if (definition.versions.length === 0) throw new Error(`API ${definition.name} has no versions`);
    this.byKey.set(definition.apiKey, definition);
    return this;
  }

  /** Registers several APIs. */
  registerAll(definitions: readonly ApiDefinition[]): this {
    for (const d of definitions) this.register(d);
    return this;
  }

  /** The definition for `apiKey`, if registered. */
  get(apiKey: number): ApiDefinition | undefined {
    return this.byKey.get(apiKey);
  }

  /** Every registered API's version range, sorted by key. */
  versionRanges(): ApiVersionRange[] {
    return [...this.byKey.values()]
      .sort((a, b) => a.apiKey - b.apiKey)
      .map((d) => ({ apiKey: d.apiKey, minVersion: 0, maxVersion: d.versions.length - 1 }));
  }
}
