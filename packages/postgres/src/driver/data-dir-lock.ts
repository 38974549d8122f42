import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { link, open, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The file in a data directory that names the process owning the embedded database. */
export const DATA_DIR_LOCK_FILE = 'owner.pid';

/** The hold {@link lockDataDir} gives: `release()` frees the directory. */
export interface DataDirLock {
  release(): Promise<void>;
}

// An empty or unreadable lock file younger than this is being written by another process; older, it
// was left by one that died mid-write. Also how long a takeover marker may outlive its process.
const STALE_MS = 5_000;
// Rounds of "create, else judge the owner": more than one only while other processes race for it.
const ATTEMPTS = 50;
// The lock files (resolved paths) this process holds, or is taking.
const held = new Set<string>();

/**
 * Makes this process the only one using `dataDir` (Node only): PGlite does not stop a second process from
 * opening the same data directory, and two writers would corrupt it. Creates `owner.pid` with this
 * process's id atomically (written to a temporary file, then hard-linked into place, so it never
 * exists empty); a file left by a process that is gone (killed with SIGKILL, say) is taken over, by
 * one process only when several try at once. Throws, naming the other process, while that process
 * lives, and when this process already holds `dataDir` (open it once and share it). `release()`
 * removes the file, and so does any exit of the process short of a kill (a framework that calls
 * `process.exit` on SIGTERM, say).
 *
 * @example
 * ```ts
 * const lock = await lockDataDir('/srv/app/.data');
 * // … open PGlite in /srv/app/.data/pglite …
 * await lock.release();
 * ```
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = resolve(dataDir, DATA_DIR_LOCK_FILE);
  if (held.has(file)) {
    throw new Error(
      `Expected the data directory ${JSON.stringify(dataDir)} to be free, found it held by this process (${process.pid}) already: it was locked (opened) twice. Fix: open it once and share the handle, or release the first lock before locking it again.`,
    );
  }
  held.add(file); // before any await: a concurrent call in this process sees it
  try {
    await acquire(dataDir, file);
  } catch (error) {
    held.delete(file);
    throw error;
  }
  const removeAtExit = () => {
    if (readOwnerSync(file) === ownContent()) rmSync(file, { force: true });
  };
  process.once('exit', removeAtExit);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    process.off('exit', removeAtExit);
    try {
      if ((await inspect(file))?.content === ownContent()) await rm(file, { force: true });
    } finally {
      held.delete(file); // only now: a relock meanwhile would have its file removed above
    }
  };
  return { release };
}

interface LockFileState {
  /** Identifies the file itself: a new lock file is a new inode. */
  ino: string;
  content: string;
  mtimeMs: number;
}

// Creates the lock file, or takes it over from a process that is gone; throws while it is held.
async function acquire(dataDir: string, file: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await create(file)) return;
    const seen = await inspect(file);
    if (!seen) continue; // released meanwhile
    const owner = parseOwner(seen.content);
    if (owner === undefined) {
      if (Date.now() - seen.mtimeMs < STALE_MS) throw inUse(dataDir, 'another process (still writing its id)');
    } else if (isRunning(owner)) {
      throw inUse(dataDir, `process ${owner}`);
    }
    if (!(await takeOver(file, seen))) await sleep(5 + Math.random() * 10);
  }
  throw new Error(
    `Could not take ${file}: other processes keep taking it over. Fix: give each process its own data directory.`,
  );
}

// Creates `file` holding this process's id; false when it exists. Written to a temporary file first,
// then hard-linked into place (atomic, fails when the name exists): nobody ever reads it half written.
async function create(file: string): Promise<boolean> {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, ownContent(), { flag: 'wx' });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
    // A file system without hard links: create it exclusively (briefly empty, which reads as held).
    return writeFile(file, ownContent(), { flag: 'wx' }).then(
      () => true,
      (fallback: NodeJS.ErrnoException) => (fallback.code === 'EEXIST' ? false : Promise.reject(fallback)),
    );
  } finally {
    await rm(temp, { force: true });
  }
}

// Removes the stale lock file `seen`, if it is still there, unless another process is doing so: the
// one that creates the marker named after its inode does (every other one retries), so a lock file
// created meanwhile by the process that took over is never removed. False when another one is on it.
async function takeOver(file: string, seen: LockFileState): Promise<boolean> {
  const marker = `${file}.takeover-${seen.ino}`;
  try {
    await writeFile(marker, ownContent(), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const left = await inspect(marker); // left by a process that died while taking over?
    if (left && Date.now() - left.mtimeMs > STALE_MS) await rm(marker, { force: true });
    return false;
  }
  try {
    const now = await inspect(file);
    if (now && now.ino === seen.ino && now.content === seen.content) await rm(file, { force: true });
  } finally {
    await rm(marker, { force: true });
  }
  return true;
}

// The lock file's identity, content and age, read through one handle; undefined when it is gone.
async function inspect(file: string): Promise<LockFileState | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    const content = await handle.readFile('utf8');
    return { ino: `${stats.dev}-${stats.ino}`, content, mtimeMs: Number(stats.mtimeMs) };
  } finally {
    await handle.close();
  }
}

function readOwnerSync(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const ownContent = () => `${process.pid}\n`;

// The pid a lock file names; undefined when it is empty or garbled (being written, or torn).
function parseOwner(content: string): number | undefined {
  const text = content.trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function inUse(dataDir: string, owner: string): Error {
  return new Error(
    `Expected the data directory ${JSON.stringify(dataDir)} to be free, found it in use by ${owner}: one process owns an embedded database. Fix: stop that process, give this one another data directory, or run several instances on a PostgreSQL server. If no such process is running, delete ${join(dataDir, DATA_DIR_LOCK_FILE)}.`,
  );
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// Alive unless it is us (a file of this process is in `held`, checked first: this one is left by an
// earlier process that had our pid, after a restart), absent, or a zombie waiting to be reaped.
function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // Linux: the state after the command name; Z (zombie) and X (dead) no longer run.
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (macOS): the signal check above is all there is
  }
}
