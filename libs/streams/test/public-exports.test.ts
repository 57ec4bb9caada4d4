import * as path from 'node:path';
import ts from 'typescript';

/**
 * The public surface of `@gmart/streams` is what `src/index.ts` exports. No exported name may be
 * declared in an `internals/` module: internals change freely, users must not depend on them.
 */
function exportsOf(entry: string): { name: string; file: string }[] {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (source === undefined) throw new Error(`${entry} not found`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${entry} is not a module`);
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    const file = declaration === undefined ? '<none>' : declaration.getSourceFile().fileName;
    return { name: symbol.getName(), file: path.relative(path.join(__dirname, '..'), file) };
  });
}

function internalExports(entry: string): { name: string; file: string }[] {
  return exportsOf(entry).filter((e) => e.file.split(path.sep).includes('internals'));
}

describe('public exports of @gmart/streams', () => {
  const exported = exportsOf(path.join(__dirname, '..', 'src', 'index.ts'));

  it('resolves every export to a declaration (the listing sees the whole surface)', () => {
    const names = exported.map((e) => e.name);
    // names a user of each area needs; if the listing missed re-exports these would be absent
    for (const n of ['StreamsBuilder', 'KafkaStreams', 'Stores', 'KeyValueStore', 'Serdes', 'Topology'])
      expect(names).toContain(n);
    expect(exported.filter((e) => e.file === '<none>')).toEqual([]);
  });

  it('exports nothing declared in an internals/ module', () => {
    expect(internalExports(path.join(__dirname, '..', 'src', 'index.ts'))).toEqual([]);
  });

  it('flags an entry point that re-exports an internal class', () => {
    expect(internalExports(path.join(__dirname, 'fixtures', 'leaky-index.ts'))).toEqual([
      {
        name: 'MeteredKeyValueStore',
        file: path.join('src', 'state', 'internals', 'metered-key-value-store.ts'),
      },
    ]);
  });
});
