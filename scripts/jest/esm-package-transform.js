/**
 * Jest transform for ESM-only packages in node_modules (today @platformatic/kafka and its
 * @platformatic helpers): jest runs the workspace's tests as CommonJS, so these packages are
 * compiled to CommonJS with swc. A `require` made with `createRequire(import.meta.url)` becomes the
 * module's own `require`, and any other `import.meta.url` (which CommonJS lacks) the file's URL.
 * Outside jest, Node >= 22.12 loads them natively (`require` of an ES module).
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const SELF = createHash('sha1').update(readFileSync(__filename)).digest('hex');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha1').update(SELF).update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const code = source.includes('import.meta.url')
      ? source
          .replace(/const require = createRequire\(import\.meta\.url\);/g, '')
          .replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename).href")
      : source;
    const out = transformSync(code, {
      filename,
      sourceMaps: false,
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    return { code: out.code };
  },
};
