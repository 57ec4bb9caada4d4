import { readFileSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';

/**
 * File in a task's (or the global stores') state directory that says "these stores may hold writes
 * not yet synced to disk, written while the machine ran the boot named inside". LMDB stores commit
 * without `fsync` between checkpoints (`openLmdbEnvironment`): a killed process loses none of those
 * commits (the operating system's page cache keeps them), but an operating-system crash or power
 * loss may leave the LMDB file behind its checkpoint or damaged. The marker is written (and synced)
 * when the directory is opened, before any store writes, and removed after a clean close (stores
 * synced, checkpoint written); found at the next start with another boot's id, the state is not
 * trusted: the directory is wiped and the stores restore in full from their changelogs.
 */
export const UNSYNCED_STATE_MARKER = '.unsynced';

let bootId: string | undefined;

/**
 * An id of the running operating-system boot: Linux's `/proc/sys/kernel/random/boot_id`, elsewhere
 * the boot time to the minute (a clock step may change it: then state is wiped, never wrongly trusted).
 */
export function currentBootId(): string {
  if (bootId !== undefined) return bootId;
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    bootId = '';
  }
  if (bootId.length === 0) bootId = `booted-${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
  return bootId;
}

/**
 * What the marker in `dir` says: `absent` (the last run closed cleanly, or never wrote), `this-boot`
 * (the last run stopped uncleanly during this boot: its commits are in the page cache), or
 * `earlier-boot` (the machine restarted since: unsynced commits may be lost or torn).
 */
export async function readUnsyncedStateMarker(dir: string): Promise<'absent' | 'this-boot' | 'earlier-boot'> {
  let text: string;
  try {
    text = await readFile(join(dir, UNSYNCED_STATE_MARKER), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    return 'earlier-boot'; // unreadable: not trusted
  }
  return text.trim() === currentBootId() ? 'this-boot' : 'earlier-boot';
}

/** Writes the marker into `dir` with this boot's id, synced to disk with its directory entry. */
export async function writeUnsyncedStateMarker(dir: string): Promise<void> {
  const file = await open(join(dir, UNSYNCED_STATE_MARKER), 'w');
  try {
    await file.writeFile(`${currentBootId()}\n`, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Removes the marker from `dir` (after a clean close: the stores are synced and checkpointed). */
export async function removeUnsyncedStateMarker(dir: string): Promise<void> {
  await rm(join(dir, UNSYNCED_STATE_MARKER), { force: true });
}
