import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR_LOCK_FILE, migrate, openPGlite, type PGliteModuleLike } from '@ai-stats-webhooks/postgres';
import { loadPGlite } from './helpers/load-pglite';

// openPGlite: the embedded database in a data directory that one process owns.
const load = () => loadPGlite() as unknown as Promise<PGliteModuleLike>;
let dir: string;
let other: ChildProcess | undefined;

jest.setTimeout(60_000); // creating a PGlite directory runs initdb in WebAssembly

beforeAll(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'ai-stats-open-pglite-')), 'data');
});
afterEach(() => {
  other?.kill('SIGKILL');
  other = undefined;
});
afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('openPGlite', () => {
  it('says how to install PGlite when the optional peer is missing, and frees the directory', async () => {
    const missing = Object.assign(new Error("Cannot find package '@electric-sql/pglite'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const absent = join(dir, '..', 'absent');
    await expect(openPGlite(absent, { load: () => Promise.reject(missing) })).rejects.toMatchObject({
      code: 'invalid_option',
      message: expect.stringContaining('npm install @electric-sql/pglite'),
    });
    expect(existsSync(join(absent, DATA_DIR_LOCK_FILE))).toBe(false);
  });

  it('creates the directory, owns it while open, and keeps the data across a reopen', async () => {
    const first = await openPGlite(dir, { load });
    expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await migrate(first.driver);
    await first.db.exec('CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)');
    await first.close();
    expect(existsSync(join(dir, DATA_DIR_LOCK_FILE))).toBe(false);

    const second = await openPGlite(dir, { load });
    expect((await second.db.query('SELECT id FROM kept')).rows).toEqual([{ id: 7 }]);
    await second.close();
  });

  it('refuses a directory another live process owns, naming it and the fix', async () => {
    other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    await new Promise((resolve) => other!.once('spawn', resolve));
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), `${other.pid}\n`);
    const opening = openPGlite(dir, { load });
    await expect(opening).rejects.toThrow(`in use by process ${other.pid}`);
    await expect(opening).rejects.toThrow(/Fix: stop that process, give this one another data directory/);
  });

  it('takes over a directory whose owner is gone (killed with SIGKILL, say)', async () => {
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(dir, DATA_DIR_LOCK_FILE), `${gone.pid}\n`);
    const embedded = await openPGlite(dir, { load });
    expect(readFileSync(join(dir, DATA_DIR_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await embedded.close();
  });

  it('frees the directory when PGlite cannot be loaded', async () => {
    await expect(openPGlite(dir, { load: () => Promise.reject(new Error('no wasm')) })).rejects.toThrow('no wasm');
    expect(existsSync(join(dir, DATA_DIR_LOCK_FILE))).toBe(false);
  });
});
