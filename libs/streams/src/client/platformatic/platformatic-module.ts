/**
 * Loads `@platformatic/kafka` (an ES module) from this CommonJS package, only when the
 * platformatic client is chosen: Node >= 22.12 loads an ES module with `require` (the project's
 * supported Node is >= 22.22), and the jest preset compiles the package to CommonJS for tests.
 */
export type PlatformaticKafka = typeof import('@platformatic/kafka', {
  with: { 'resolution-mode': 'import' },
});

let loaded: PlatformaticKafka | undefined;

export function platformaticKafka(): PlatformaticKafka {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@platformatic/kafka') as PlatformaticKafka;
  return loaded;
}
