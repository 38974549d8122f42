// CPU time of a process and every live descendant, read from /proc (Linux): how the runtimes
// section measures servers that are other processes (workerd under its Miniflare launcher, Deno,
// Bun), where `process.cpuUsage()` of this process sees nothing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function children(pid: number): number[] {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return [];
  return readdirSync(tasks).flatMap((tid) => {
    try {
      return readFileSync(`${tasks}/${tid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

function ownTicks(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): state is field 3; utime 14, stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the process ended meanwhile
  }
}

/**
 * Microseconds of CPU (user + system) used so far by `pid` and its live descendants; NaN where
 * /proc is not there. Resolution: one clock tick (10 ms), so measure over seconds.
 *
 * @example
 * ```ts
 * const before = processTreeCpuUs(server.pid);
 * await load(server.url, 10, 2, 4096);
 * const perRequest = (processTreeCpuUs(server.pid) - before) / requests;
 * ```
 */
export function processTreeCpuUs(pid: number): number {
  if (!existsSync('/proc/self/stat')) return Number.NaN;
  let ticks = 0;
  const pending = [pid];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    ticks += ownTicks(next);
    pending.push(...children(next));
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}
