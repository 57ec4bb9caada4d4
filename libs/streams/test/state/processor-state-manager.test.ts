import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { ChangelogRecord } from '../../src/processor/state-store';
import { Stores, type StateRestoreListener } from '../../src/state';
import { ProcessorStateManager } from '../../src/processor/internals/processor-state-manager';
import { GlobalStateManager } from '../../src/processor/internals/global-state-manager';
import { UNSYNCED_STATE_MARKER, currentBootId } from '../../src/state/internals/unsynced-state-marker';
import { SessionKeySchema, WindowKeySchema } from '../../src/state/internals/window-key-schema';
import { drain, stringSerde, taskId, tempDir, TestStateStoreContext } from './state-test-context';

const records = (entries: Array<[string, string | null]>, firstOffset = 0): ChangelogRecord[] =>
  entries.map(([k, v], i) => ({
    key: Buffer.from(k),
    value: v === null ? null : Buffer.from(v),
    timestamp: 1,
    offset: firstOffset + i,
  }));

interface Harness {
  manager: ProcessorStateManager;
  context: TestStateStoreContext;
  registry: Registry;
  events: string[];
}

async function startTask(taskDir: string): Promise<Harness> {
  const events: string[] = [];
  const listener: StateRestoreListener = {
    onRestoreStart: (tp, store, start, end) =>
      events.push(`start ${tp.topic}-${tp.partition} ${store} ${start} ${end}`),
    onBatchRestored: (tp, store, last, n) => events.push(`batch ${store} ${last} ${n}`),
    onRestoreEnd: (tp, store, total) => events.push(`end ${store} ${total}`),
  };
  const registry = new Registry();
  const id = taskId(1, 2);
  const manager = new ProcessorStateManager({
    taskId: id,
    applicationId: 'app',
    taskDir,
    restoreListener: listener,
    metricsRegistry: registry,
  });
  await manager.initialize();
  const context = new TestStateStoreContext(taskDir, 1024 * 1024, 'app', id, manager);
  return { manager, context, registry, events };
}

async function openKv(h: Harness, name: string, persistent: boolean) {
  const supplier = persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  const store = Stores.keyValueStoreBuilder(supplier, stringSerde, stringSerde).build();
  await store.init(h.context, store);
  return store;
}

describe('ProcessorStateManager', () => {
  let tmp: ReturnType<typeof tempDir>;
  let taskDir: string;
  beforeEach(() => {
    tmp = tempDir('psm-');
    taskDir = join(tmp.dir, 'app', '1_2');
  });
  afterEach(() => tmp.cleanup());

  it('restores a batch into each store kind and reports progress to the listener and metrics', async () => {
    const h = await startTask(taskDir);
    const kv = await openKv(h, 'kv', true);
    const mem = await openKv(h, 'mem', false);
    const lru = Stores.keyValueStoreBuilder(Stores.lruMap('lru', 10), stringSerde, stringSerde).build();
    await lru.init(h.context, lru);
    const win = Stores.windowStoreBuilder(
      Stores.persistentWindowStore('win', 600_000, 60_000, false),
      stringSerde,
      stringSerde,
    ).build();
    await win.init(h.context, win);
    const ses = Stores.sessionStoreBuilder(
      Stores.inMemorySessionStore('ses', 600_000),
      stringSerde,
      stringSerde,
    ).build();
    await ses.init(h.context, ses);
    const unlogged = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('unlogged'),
      stringSerde,
      stringSerde,
    )
      .withLoggingDisabled()
      .build();
    await unlogged.init(h.context, unlogged);

    expect(h.manager.changelogPartitions().map((tp) => `${tp.topic}-${tp.partition}`)).toEqual([
      'app-kv-changelog-2',
      'app-mem-changelog-2',
      'app-lru-changelog-2',
      'app-win-changelog-2',
      'app-ses-changelog-2',
    ]);
    expect(h.manager.changelogsToRestore().every((c) => c.startOffset === undefined)).toBe(true);
    expect(h.manager.allStores()).toHaveLength(6);

    const kvBatch = records(
      [
        ['a', '1'],
        ['b', '2'],
        ['a', null],
        ['c', '3'],
      ],
      10,
    );
    for (const name of ['kv', 'mem', 'lru']) {
      h.manager.beginRestore(`app-${name}-changelog`, 2, 14);
      await h.manager.restoreBatch(`app-${name}-changelog`, 2, kvBatch);
      h.manager.completeRestore(`app-${name}-changelog`, 2);
    }
    for (const store of [kv, mem, lru])
      expect(drain(store.all())).toEqual([
        ['b', '2'],
        ['c', '3'],
      ]);

    await h.manager.restoreBatch('app-win-changelog', 2, [
      {
        key: WindowKeySchema.toStoreKey(Buffer.from('w'), 60_000, 0),
        value: Buffer.from('x'),
        timestamp: 0,
        offset: 0,
      },
    ]);
    expect(win.fetch('w', 60_000)).toBe('x');
    await h.manager.restoreBatch('app-ses-changelog', 2, [
      {
        key: SessionKeySchema.toStoreKey(Buffer.from('s'), 5, 9),
        value: Buffer.from('y'),
        timestamp: 0,
        offset: 0,
      },
    ]);
    expect(ses.fetchSession('s', 5, 9)).toBe('y');
    expect(h.context.changes).toEqual([]); // restoring never writes to the changelog

    expect(h.events.slice(0, 3)).toEqual(['start app-kv-changelog-2 kv 0 14', 'batch kv 13 4', 'end kv 4']);
    const metrics = await h.registry.metrics();
    expect(metrics).toContain('kafka_stream_task_restore_total{task_id="1_2",store_name="kv"} 4');
    expect(metrics).toContain('kafka_stream_task_restore_remaining_records{task_id="1_2",store_name="kv"} 0');
    await expect(h.manager.restoreBatch('nope', 2, kvBatch)).rejects.toThrow(/no store is logged to nope-2/);
    await h.manager.close(true);
  });

  it('checkpoints persistent stores on commit and restores only the tail after a clean restart', async () => {
    const first = await startTask(taskDir);
    const kv = await openKv(first, 'kv', true);
    await openKv(first, 'mem', false);
    kv.put('a', '1');
    kv.put('b', '2');
    await first.manager.flush();
    await first.manager.checkpoint([
      { topic: 'app-kv-changelog', partition: 2, offset: 41 },
      { topic: 'app-mem-changelog', partition: 2, offset: 7 },
    ]);
    expect(readFileSync(first.manager.checkpointPath, 'utf8')).toBe('0\n1\napp-kv-changelog 2 41\n');
    kv.put('c', '3');
    first.manager.updateChangelogOffsets([{ topic: 'app-kv-changelog', partition: 2, offset: 42 }]);
    await first.manager.close(true);
    expect(readFileSync(first.manager.checkpointPath, 'utf8')).toBe('0\n1\napp-kv-changelog 2 42\n');

    const second = await startTask(taskDir);
    expect(second.manager.wiped).toBe(false);
    const kv2 = await openKv(second, 'kv', true);
    await openKv(second, 'mem', false);
    const plan = Object.fromEntries(
      second.manager.changelogsToRestore().map((c) => [c.storeName, c.startOffset]),
    );
    expect(plan).toEqual({ kv: 43, mem: undefined }); // persistent: after the checkpoint; in-memory: in full
    expect(drain(kv2.all())).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    second.manager.beginRestore('app-kv-changelog', 2, 45);
    await second.manager.restoreBatch(
      'app-kv-changelog',
      2,
      records(
        [
          ['d', '4'],
          ['a', null],
        ],
        43,
      ),
    );
    second.manager.completeRestore('app-kv-changelog', 2);
    expect(second.manager.restoredCount('kv')).toBe(2);
    expect(second.events[0]).toBe('start app-kv-changelog-2 kv 43 45');
    expect(drain(kv2.all())).toEqual([
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ]);
    await second.manager.close(true);
    expect(readFileSync(second.manager.checkpointPath, 'utf8')).toBe('0\n1\napp-kv-changelog 2 44\n');
  });

  it.each([
    ['missing', () => undefined],
    ['unreadable', (path: string) => writeFileSync(path, 'garbage\n')],
  ])('wipes local state when the checkpoint is %s after a crash', async (_what, damage) => {
    const first = await startTask(taskDir);
    const kv = await openKv(first, 'kv', true);
    kv.put('stale', 'x');
    await first.manager.flush();
    await first.manager.close(false); // crash: no checkpoint written
    expect(existsSync(first.manager.checkpointPath)).toBe(false);
    damage(first.manager.checkpointPath);

    const second = await startTask(taskDir);
    expect(second.manager.wiped).toBe(true);
    const kv2 = await openKv(second, 'kv', true);
    expect(kv2.get('stale')).toBeUndefined();
    expect(second.manager.changelogsToRestore()[0].startOffset).toBeUndefined();
    await second.manager.close(false);
  });

  it('trusts its checkpoint after a crash in this boot, not after a restart of the machine (unsynced-state marker)', async () => {
    const marker = join(taskDir, UNSYNCED_STATE_MARKER);
    const thisBoot = `${currentBootId()}\n`;
    const first = await startTask(taskDir);
    expect(readFileSync(marker, 'utf8')).toBe(thisBoot);
    const kv = await openKv(first, 'kv', true);
    kv.put('a', '1');
    await first.manager.flush();
    await first.manager.checkpoint([{ topic: 'app-kv-changelog', partition: 2, offset: 5 }]);
    kv.put('b', '2'); // committed after the checkpoint, not synced
    await first.manager.close(false); // a crash: the marker stays
    expect(readFileSync(marker, 'utf8')).toBe(thisBoot);

    // The process died in this boot: the page cache kept its commits, the checkpoint holds.
    const second = await startTask(taskDir);
    expect(second.manager.wiped).toBe(false);
    const kv2 = await openKv(second, 'kv', true);
    expect(second.manager.changelogsToRestore()[0].startOffset).toBe(6);
    expect(kv2.get('a')).toBe('1');
    await second.manager.close(false);

    // The machine restarted since: commits after the last sync may be lost or torn, so nothing local
    // is trusted and the store restores in full.
    writeFileSync(marker, 'an-earlier-boot\n');
    const third = await startTask(taskDir);
    expect(third.manager.wiped).toBe(true);
    const kv3 = await openKv(third, 'kv', true);
    expect(kv3.get('a')).toBeUndefined();
    expect(third.manager.changelogsToRestore()[0].startOffset).toBeUndefined();
    expect(readFileSync(marker, 'utf8')).toBe(thisBoot);
    kv3.put('c', '3');
    third.manager.updateChangelogOffsets([{ topic: 'app-kv-changelog', partition: 2, offset: 9 }]);
    await third.manager.close(true); // clean: synced and checkpointed, the marker goes
    expect(existsSync(marker)).toBe(false);

    // After a clean close a restart of the machine changes nothing.
    const fourth = await startTask(taskDir);
    expect(fourth.manager.wiped).toBe(false);
    const kv4 = await openKv(fourth, 'kv', true);
    expect(fourth.manager.changelogsToRestore()[0].startOffset).toBe(10);
    expect(kv4.get('c')).toBe('3');
    await fourth.manager.close(false);
  });

  it('the global state: wiped after a restart of the machine, trusted after a crash in this boot or a clean close', async () => {
    const dir = join(tmp.dir, 'app', 'global');
    const marker = join(dir, UNSYNCED_STATE_MARKER);
    const logger = { info: () => {}, warn: () => {} };
    const start = async () => {
      const m = new GlobalStateManager(dir, logger);
      await m.initialize();
      const kv = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('g'), stringSerde, stringSerde)
        .withLoggingDisabled()
        .build();
      await kv.init(new TestStateStoreContext(dir), kv);
      m.registerStore(kv, 'companies');
      return { m, kv };
    };
    const first = await start();
    first.kv.put('x', '1');
    await first.m.close([{ topic: 'companies', partition: 0, offset: 3 }]);
    expect(existsSync(marker)).toBe(false);
    const second = await start();
    expect(second.m.checkpointedOffset('companies', 0)).toBe(3);
    expect(second.kv.get('x')).toBe('1');
    expect(readFileSync(marker, 'utf8')).toBe(`${currentBootId()}\n`);
    await second.m.close(undefined); // a crash
    const third = await start();
    expect(third.m.checkpointedOffset('companies', 0)).toBe(3);
    await third.m.close(undefined);
    writeFileSync(marker, 'an-earlier-boot\n');
    const fourth = await start();
    expect(fourth.m.checkpointedOffset('companies', 0)).toBeUndefined();
    expect(fourth.kv.get('x')).toBeUndefined();
    await fourth.m.close(undefined);
  });

  it('on commit flushes only the record caches; the write buffers with a checkpoint, past 10,000 changelog records', async () => {
    const h = await startTask(taskDir);
    const store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('kv'), stringSerde, stringSerde)
      .withCachingEnabled()
      .build();
    await store.init(h.context, store);
    /** The LMDB layer's write buffer, found by walking the layers down. */
    const bytesLayer = (() => {
      let layer: unknown = store;
      while (layer && typeof (layer as { hasPendingWrites?: unknown }).hasPendingWrites !== 'function')
        layer = (layer as { inner?: unknown; table?: unknown }).inner ?? (layer as { table?: unknown }).table;
      return layer as { hasPendingWrites(): boolean };
    })();
    store.put('a', '1');
    store.put('a', '2');
    expect(h.context.changes).toEqual([]);
    await h.manager.flushCache();
    // The cache sent its latest value to the changelog (and the store below) ...
    expect(h.context.changes.map((c) => [c.key.toString(), c.value?.toString()])).toEqual([['a', '2']]);
    // ... whose write buffer is not committed until a checkpoint needs it.
    expect(bytesLayer.hasPendingWrites()).toBe(true);
    expect(store.get('a')).toBe('2');

    const changelog = { topic: 'app-kv-changelog', partition: 2 };
    expect(h.manager.checkpointNeeded()).toBe(false);
    h.manager.updateChangelogOffsets([{ ...changelog, offset: 9_999 }]); // 10,000 records: not past it
    expect(h.manager.checkpointNeeded()).toBe(false);
    h.manager.updateChangelogOffsets([{ ...changelog, offset: 10_000 }]);
    expect(h.manager.checkpointNeeded()).toBe(true);
    await h.manager.flush();
    expect(bytesLayer.hasPendingWrites()).toBe(false);
    await h.manager.checkpoint();
    expect(readFileSync(h.manager.checkpointPath, 'utf8')).toBe('0\n1\napp-kv-changelog 2 10000\n');
    expect(h.manager.checkpointNeeded()).toBe(false);
    h.manager.updateChangelogOffsets([{ ...changelog, offset: 20_001 }]);
    expect(h.manager.checkpointNeeded()).toBe(true);
    await h.manager.close(true);
  });

  it('flushes a store without flushCache in full on every commit', async () => {
    const h = await startTask(taskDir);
    let flushes = 0;
    const custom = {
      name: 'custom',
      persistent: true,
      open: false,
      init(context: TestStateStoreContext) {
        context.register(this, () => undefined, {});
        this.open = true;
      },
      flush: () => void flushes++,
      close() {
        this.open = false;
      },
      isOpen() {
        return this.open;
      },
    };
    custom.init(h.context);
    await h.manager.flushCache();
    await h.manager.flushCache();
    expect(flushes).toBe(2);
    await h.manager.close(true);
  });

  it('does not wipe a fresh task directory and keeps the lock file on wipe', async () => {
    mkdirSync(taskDir, { recursive: true });
    writeFileSync(join(taskDir, '.lock'), '');
    const fresh = await startTask(taskDir);
    expect(fresh.manager.wiped).toBe(false);
    writeFileSync(join(taskDir, 'junk'), 'x');
    const again = await startTask(taskDir);
    expect(again.manager.wiped).toBe(true);
    expect(existsSync(join(taskDir, '.lock'))).toBe(true);
    expect(existsSync(join(taskDir, 'junk'))).toBe(false);
  });

  it('refuses registration before initialize and duplicate store names', async () => {
    const manager = new ProcessorStateManager({
      taskId: taskId(0, 0),
      applicationId: 'app',
      taskDir,
      metricsRegistry: new Registry(),
    });
    const context = new TestStateStoreContext(taskDir, 0, 'app', taskId(0, 0), manager);
    const store = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('x'),
      stringSerde,
      stringSerde,
    ).build();
    expect(() => store.init(context, store)).toThrow(/initialize\(\) the state manager/);
    await manager.initialize();
    const a = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('dup'),
      stringSerde,
      stringSerde,
    ).build();
    const b = Stores.keyValueStoreBuilder(
      Stores.inMemoryKeyValueStore('dup'),
      stringSerde,
      stringSerde,
    ).build();
    await a.init(context, a);
    expect(() => b.init(context, b)).toThrow(/registered twice/);
  });
});
