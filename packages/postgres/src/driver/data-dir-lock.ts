import { readFileSync, rmSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file in a data directory that names the process owning the embedded database. */
export const DATA_DIR_LOCK_FILE = 'owner.pid';

/** The hold {@link lockDataDir} gives: `release()` frees the directory. */
export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * Makes this process the only one using `dataDir` (Node only): PGlite does not stop a second process from
 * opening the same data directory, and two writers would corrupt it. Writes `owner.pid` (created
 * exclusively); a file left by a process that is gone (killed with SIGKILL, say) is taken over.
 * Throws, naming the other process, while that process lives. `release()` removes the file, and
 * so does any exit of the process short of a kill (a framework that calls `process.exit` on
 * SIGTERM, say).
 *
 * @example
 * ```ts
 * const lock = await lockDataDir('/srv/app/.data');
 * // … open PGlite in /srv/app/.data/pglite …
 * await lock.release();
 * ```
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const file = join(dataDir, DATA_DIR_LOCK_FILE);
  const removeAtExit = () => rmSync(file, { force: true });
  const release = async () => {
    process.off('exit', removeAtExit);
    await rm(file, { force: true });
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      process.once('exit', removeAtExit);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (isRunning(owner)) {
      throw new Error(
        `Expected the data directory ${JSON.stringify(dataDir)} to be free, found it in use by process ${owner}: one process owns an embedded database. Fix: stop that process, give this one another data directory, or run several instances on a PostgreSQL server. If no such process is running, delete ${join(dataDir, DATA_DIR_LOCK_FILE)}.`,
      );
    }
    await rm(file, { force: true }); // left by a process that is gone
  }
  throw new Error(`Could not take ${file}: another process keeps creating it.`);
}

// Alive unless it is us (a pid reused after a restart), absent, or a zombie waiting to be reaped.
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
