#!/usr/bin/env node
/**
 * Fails when libs/streams/src has an import cycle (run by `npm run lint`; uses madge).
 *
 * - No runtime cycle anywhere (value imports).
 * - No cycle at all, counting `import type`, that touches an implementation module (`internals/`,
 *   `testing/`, or a module outside the public interface folders). The only cycles allowed are
 *   type-only references between public interfaces, which Kafka Streams' API has by design
 *   (`KStream.split()` returns a `BranchedKStream` whose `Branched` functions take a `KStream`).
 *
 * KNOWN_DSL_CYCLES: cycles wholly inside `kstream/internals/` between the DSL classes that create
 * each other (`KStreamImpl` -> `KGroupedStreamImpl` -> `KTableImpl` -> `KStreamImpl`, landed with
 * the KTable work while this check was added). They are printed as warnings, not allowed to grow:
 * a cycle through any other module fails. Removing them (a DSL node factory) is open work.
 */
const path = require('node:path');
const madge = require('madge');

const src = path.join(__dirname, '..', 'src');
const PUBLIC_INTERFACE_DIRS = ['kstream', 'processor', 'state'];

function isPublicInterface(file) {
  const parts = file.split('/');
  return parts.length === 2 && PUBLIC_INTERFACE_DIRS.includes(parts[0]);
}

async function cycles(skipTypeImports) {
  const result = await madge(src, {
    fileExtensions: ['ts'],
    detectiveOptions: { ts: { skipTypeImports }, es6: { skipTypeImports } },
  });
  return result.circular();
}

(async () => {
  const runtime = await cycles(true);
  const all = await cycles(false);
  const known = (c) => c.every((f) => f.startsWith('kstream/internals/'));
  const forbidden = all.filter((c) => !c.every(isPublicInterface) && !known(c));
  const problems = [
    ...runtime.filter((c) => !known(c)).map((c) => `runtime cycle: ${c.join(' > ')}`),
    ...forbidden.map((c) => `cycle through an implementation module: ${c.join(' > ')}`),
  ];
  for (const c of all.filter(known)) console.warn(`warning: known DSL cycle: ${c.join(' > ')}`);
  const allowed = all.filter((c) => c.every(isPublicInterface)).length;
  if (problems.length > 0) {
    console.error(`libs/streams/src has ${problems.length} import cycle(s):\n${problems.join('\n')}`);
    process.exit(1);
  }
  console.log(
    `libs/streams/src: no forbidden import cycles (${allowed} type-only cycle(s) between public interfaces, allowed)`,
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
