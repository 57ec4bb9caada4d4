import {
  observeHeapAfterMajorGc,
  oldGenerationUsed,
} from '../../libs/nest-streams/src/metrics/heap-after-major-gc';

/**
 * Preloaded (`-r`) into the soak's broker, MongoDB and generator processes: answers the parent's
 * {@link MEMORY_REQUEST} over the IPC channel with `process.memoryUsage()` and the old generation
 * in use after the last major GC (as the services' `gmart_heap_old_generation_after_major_gc_bytes`), and
 * {@link MEMORY_AFTER_GC_REQUEST} with it after two full collections (`--expose-gc` processes). Does nothing without an
 * IPC channel, and does not keep the process alive.
 */
export const MEMORY_REQUEST = 'gmart-soak:memory?';
/** The same after a full garbage collection (when the process runs with `--expose-gc`). */
export const MEMORY_AFTER_GC_REQUEST = 'gmart-soak:gc-memory?';
/** Type of the answer message. */
export const MEMORY_REPLY = 'gmart-soak:memory';

/** The answer to {@link MEMORY_REQUEST}. */
export interface MemoryReply {
  readonly type: typeof MEMORY_REPLY;
  readonly rss: number;
  readonly heapUsed: number;
  /** V8 heap committed (`heapTotal`): the heap in use plus the garbage and free pages V8 keeps mapped. */
  readonly heapTotal: number;
  /** V8 old generation in use right after the last major GC (before the first one: in use now). */
  readonly heapAfterMajorGc: number;
  /** Memory of C++ objects bound to JS objects (Buffers and other ArrayBuffers included). */
  readonly external: number;
  /** ArrayBuffer and SharedArrayBuffer memory (Buffers, typed arrays): part of `external`. */
  readonly arrayBuffers: number;
}

if (typeof process.send === 'function') {
  const afterGc = observeHeapAfterMajorGc();
  process.on('message', (m: unknown) => {
    if ((m !== MEMORY_REQUEST && m !== MEMORY_AFTER_GC_REQUEST) || !process.connected) return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (m === MEMORY_AFTER_GC_REQUEST && gc) {
      gc();
      gc();
    }
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    const reply: MemoryReply = {
      type: MEMORY_REPLY,
      rss,
      heapUsed,
      heapTotal,
      heapAfterMajorGc: afterGc.bytes ?? oldGenerationUsed(),
      external,
      arrayBuffers,
    };
    process.send!(reply);
  });
  process.channel?.unref();
}
