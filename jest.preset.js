/**
 * Shared jest settings for every workspace package.
 * Sources are transpiled by @swc/jest (with decorator metadata, for NestJS) and
 * workspace packages resolve to their TypeScript sources via the "@gmart/source"
 * export condition, so tests never need a prior build.
 */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: {
    customExportConditions: ['@gmart/source', 'node', 'require', 'default'],
  },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
    // ESM-only packages in node_modules, compiled to CommonJS (see the transform).
    '/node_modules/@platformatic/.+\\.js$': require.resolve('./scripts/jest/esm-package-transform.js'),
  },
  transformIgnorePatterns: ['/node_modules/(?!@platformatic/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  // `*.interop.test.ts` need third-party programs (kcat, python3-confluent-kafka, promtool, a
  // Prometheus server): `npm run test:interop` runs them (GMART_INTEROP=1), `npm test` never does.
  testPathIgnorePatterns:
    process.env.GMART_INTEROP === '1' ? ['/node_modules/'] : ['/node_modules/', '\\.interop\\.test\\.ts$'],
  testTimeout: 60000,
};
