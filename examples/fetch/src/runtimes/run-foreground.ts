// Runs another runtime's process in the foreground of this one: same output, SIGINT and SIGTERM
// passed on, and this process exits with its exit code (so a start-up failure stays visible).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

/**
 * Spawns `binary` with `args`, forwards SIGINT and SIGTERM to it, and exits with its exit code
 * (128 + the signal number when a signal ended it).
 *
 * @example
 * ```ts
 * runForeground(runtimeBinary('bun'), ['--no-install', 'src/bun.ts'], { DO_NOT_TRACK: '1' });
 * ```
 */
export function runForeground(binary: string, args: string[], env: Record<string, string> = {}): void {
  const child = spawn(binary, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.once('error', (error) => {
    console.error(`Could not start ${binary}: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
