/**
 * Preloaded (`-r`) into the soak's broker, MongoDB and generator processes: answers the parent's
 * {@link MEMORY_REQUEST} over the IPC channel with `process.memoryUsage()`. Does nothing without an
 * IPC channel, and does not keep the process alive.
 */
export const MEMORY_REQUEST = 'gmart-soak:memory?';
/** Type of the answer message. */
export const MEMORY_REPLY = 'gmart-soak:memory';

/** The answer to {@link MEMORY_REQUEST}. */
export interface MemoryReply {
  readonly type: typeof MEMORY_REPLY;
  readonly rss: number;
  readonly heapUsed: number;
}

if (typeof process.send === 'function') {
  process.on('message', (m: unknown) => {
    if (m !== MEMORY_REQUEST || !process.connected) return;
    const { rss, heapUsed } = process.memoryUsage();
    const reply: MemoryReply = { type: MEMORY_REPLY, rss, heapUsed };
    process.send!(reply);
  });
  process.channel?.unref();
}
