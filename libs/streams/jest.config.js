/**
 * Two jest workers here, where the default on a 2-core machine is one: most of this package's time
 * is integration tests waiting on the embedded broker (group joins, commits, session timeouts), not
 * CPU, so two files at a time roughly halve its wall time (`npm test`'s critical path).
 */
module.exports = { ...require('../../jest.preset.js'), maxWorkers: 2 };
