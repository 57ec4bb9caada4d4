/**
 * Preload of `bench:pipeline --heap-profile <dir>` (`node -r <this file>`): samples the process's
 * allocations from start to exit, including objects the garbage collector already collected (what
 * a CPU profile shows as "(garbage collector)" comes from them), and writes
 * `<dir>/<pid>.heapprofile` (V8's sampling heap profile: open it in Chrome DevTools' Memory tab).
 * The directory comes from `GMART_HEAP_PROFILE_DIR`.
 */
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.GMART_HEAP_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  // A session of the process itself answers synchronously, so this works in an exit handler.
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (err, result) => {
      if (!err)
        fs.writeFileSync(path.join(dir, `${process.pid}.heapprofile`), JSON.stringify(result.profile));
    });
  });
}
