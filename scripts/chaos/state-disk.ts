import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * A small real filesystem for a service's state directory: a tmpfs of `sizeMb` mounted at `dir`
 * (`mount -t tmpfs`, needs root or CAP_SYS_ADMIN). {@link fill} writes a filler file until the
 * disk is full (ENOSPC); {@link free} deletes it.
 */
export class StateDisk {
  private constructor(readonly dir: string) {}

  /** Mounts the tmpfs; throws with the reason (e.g. not permitted) when it cannot. */
  static mount(dir: string, sizeMb: number): StateDisk {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return new StateDisk(dir);
  }

  private get filler(): string {
    return path.join(this.dir, 'filler.bin');
  }

  /** Writes the filler until the filesystem refuses (ENOSPC); returns the bytes written. */
  fill(): number {
    const fd = fs.openSync(this.filler, 'a');
    const block = Buffer.alloc(64 * 1024);
    let written = 0;
    try {
      for (;;) written += fs.writeSync(fd, block);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      // The last partial block.
      for (let size = block.length >> 1; size >= 512; size >>= 1) {
        try {
          written += fs.writeSync(fd, block.subarray(0, size));
        } catch {
          // full at this size too
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    return written;
  }

  /** Free bytes of the filesystem. */
  freeBytes(): number {
    const s = fs.statfsSync(this.dir);
    return s.bavail * s.bsize;
  }

  /** Deletes the filler: the space returns. */
  free(): void {
    fs.rmSync(this.filler, { force: true });
  }

  /** Unmounts (lazily, should a process still hold a file). */
  unmount(): void {
    execFileSync('umount', ['-l', this.dir], { stdio: 'pipe' });
  }
}
