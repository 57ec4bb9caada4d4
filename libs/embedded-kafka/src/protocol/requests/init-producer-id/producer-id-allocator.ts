import * as fs from 'node:fs';
import * as path from 'node:path';

const BLOCK = 1000;
const byDir = new Map<string, ProducerIdAllocator>();

/**
 * Hands out producer ids that are never reused for a data directory: ids are
 * reserved in blocks whose end is persisted before any id of the block is used.
 */
export class ProducerIdAllocator {
  private next: number;
  private reservedUpTo: number;
  private readonly file: string;

  private constructor(dataDir: string) {
    this.file = path.join(dataDir, '__meta', 'producer-id-block');
    const saved = fs.existsSync(this.file) ? Number(fs.readFileSync(this.file, 'utf8').trim()) : 0;
    this.next = Number.isSafeInteger(saved) && saved > 0 ? saved : 1000;
    this.reservedUpTo = this.next;
  }

  /** The allocator of a data directory. */
  static for(dataDir: string): ProducerIdAllocator {
    let a = byDir.get(dataDir);
    if (!a) {
      a = new ProducerIdAllocator(dataDir);
      byDir.set(dataDir, a);
    }
    return a;
  }

  /** Forgets the allocator of a data directory (broker stop). */
  static release(dataDir: string): void {
    byDir.delete(dataDir);
  }

  allocate(): number {
    if (this.next >= this.reservedUpTo) {
      this.reservedUpTo = this.next + BLOCK;
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(`${this.file}.tmp`, String(this.reservedUpTo));
      fs.renameSync(`${this.file}.tmp`, this.file);
    }
    return this.next++;
  }
}
