import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const created: string[] = [];

/** A fresh directory under the OS temp dir, removed after the test file (see {@link removeTempDirs}). */
export function tempDir(prefix = 'gmart-test'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir} so far; runs by itself after each test file. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

// Jest gives each test file its own module registry, so this registers once per file.
if (typeof afterAll === 'function') afterAll(() => removeTempDirs());
