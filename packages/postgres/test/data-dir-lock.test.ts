import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR_LOCK_FILE, lockDataDir, type DataDirLock } from '../src/driver/data-dir-lock';

// lockDataDir: one process, and one lock in it, per data directory, even when several race for it.
let root: string;
let dir: string;
let count = 0;

jest.setTimeout(60_000);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ai-stats-data-dir-lock-'));
});
beforeEach(() => {
  dir = join(root, `data-${++count}`);
  mkdirSync(dir);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lockFile = () => join(dir, DATA_DIR_LOCK_FILE);

// The pid of a process that has exited.
async function deadPid(): Promise<number> {
  const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => gone.once('exit', resolve));
  return gone.pid!;
}

describe('lockDataDir in one process', () => {
  it('refuses a second lock of a directory this process holds, and keeps the first', async () => {
    const first = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/found it held by this process .*Fix: open it once and share/);
    await expect(lockDataDir(join(dir, '.', '..', `data-${count}`))).rejects.toThrow('held by this process');
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await first.release();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses two concurrent locks of one directory: exactly one wins', async () => {
    const results = await Promise.allSettled([lockDataDir(dir), lockDataDir(dir)]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const won = results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<DataDirLock>;
    await won.value.release();
  });

  it('locks again after a release; a second release of the first lock leaves the new one alone', async () => {
    const first = await lockDataDir(dir);
    await first.release();
    const second = await lockDataDir(dir);
    await first.release();
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await second.release();
    expect(existsSync(lockFile())).toBe(false);
    expect(readdirSync(dir)).toEqual([]); // no temporary files left
  });

  it('takes over a lock file naming this pid when this process does not hold it (an earlier process)', async () => {
    writeFileSync(lockFile(), `${process.pid}\n`);
    const lock = await lockDataDir(dir);
    await lock.release();
    expect(existsSync(lockFile())).toBe(false);
  });
});

describe('lockDataDir and a lock file left behind', () => {
  it('treats a fresh empty lock file as held (its process is writing it)', async () => {
    writeFileSync(lockFile(), '');
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by another process .*Fix: /);
    expect(readFileSync(lockFile(), 'utf8')).toBe('');
  });

  it('takes over an empty lock file older than a few seconds (its process died mid-write)', async () => {
    writeFileSync(lockFile(), '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lockFile(), old, old);
    const lock = await lockDataDir(dir);
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
  });

  it('takes over a lock file naming a process that is gone', async () => {
    writeFileSync(lockFile(), `${await deadPid()}\n`);
    const lock = await lockDataDir(dir);
    expect(readFileSync(lockFile(), 'utf8')).toBe(`${process.pid}\n`);
    await lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a lock file naming a live process, naming it and the fix', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => other.once('spawn', resolve));
      writeFileSync(lockFile(), `${other.pid}\n`);
      await expect(lockDataDir(dir)).rejects.toThrow(`in use by process ${other.pid}`);
      expect(readFileSync(lockFile(), 'utf8')).toBe(`${other.pid}\n`);
    } finally {
      other.kill('SIGKILL');
    }
  });
});

// N processes, each trying to lock `dir` at once (released by "go" on stdin once all are loaded),
// holding it ~1 s when they get it; resolves with each one's "OWN <pid>" or "FAIL <message>".
async function race(n: number): Promise<string[]> {
  const helpers = join(__dirname, 'helpers');
  const script = `
    const { lockDataDir } = require(${JSON.stringify(join(__dirname, '..', 'src', 'driver', 'data-dir-lock.ts'))});
    process.stdout.write('ready\\n');
    process.stdin.once('data', async () => {
      try {
        const lock = await lockDataDir(${JSON.stringify(dir)});
        process.stdout.write('OWN ' + process.pid + '\\n');
        setTimeout(() => lock.release().then(() => process.exit(0)), 1000);
      } catch (error) {
        process.stdout.write('FAIL ' + error.message + '\\n');
        process.exit(0);
      }
    });`;
  const children: ChildProcess[] = [];
  const outputs = Array.from({ length: n }, () => '');
  const ready: Promise<void>[] = [];
  const exited: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const child = spawn(process.execPath, ['-r', join(helpers, 'register-ts.cjs'), '-e', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(child);
    ready.push(
      new Promise((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          outputs[i] += chunk.toString();
          if (outputs[i]!.startsWith('ready\n')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before it was ready`)));
      }),
    );
    exited.push(new Promise((resolve) => child.once('exit', () => resolve())));
  }
  try {
    await Promise.all(ready);
    for (const child of children) child.stdin!.write('go\n');
    await Promise.all(exited);
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
  return outputs.map((output) => output.replace('ready\n', '').trim());
}

describe('lockDataDir with processes racing for one directory', () => {
  const rounds = Array.from({ length: 5 }, (_, round) => round + 1);

  it.each(rounds)('gives an empty directory to exactly one of 6 processes (round %i)', async () => {
    const results = await race(6);
    expect(results.filter((result) => result.startsWith('OWN '))).toHaveLength(1);
    expect(results.filter((result) => result.startsWith('FAIL '))).toHaveLength(5);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each(rounds)('gives a directory whose owner is gone to exactly one of 6 processes (round %i)', async () => {
    writeFileSync(lockFile(), `${await deadPid()}\n`);
    const results = await race(6);
    expect(results.filter((result) => result.startsWith('OWN '))).toHaveLength(1);
    expect(results.filter((result) => result.startsWith('FAIL '))).toHaveLength(5);
    expect(readdirSync(dir)).toEqual([]);
  });
});
