import { invalidOption } from '@ai-stats-webhooks/core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock';
import { fromPGlite, type PGliteLike } from './from-pglite';
import type { PostgresDriver } from './postgres-driver';

/** A PGlite instance {@link openPGlite} opened: the driver's view plus `close()`. */
export interface OpenedPGliteDatabase extends PGliteLike {
  close(): Promise<void>;
}

/** The part of the `@electric-sql/pglite` module {@link openPGlite} uses. */
export interface PGliteModuleLike {
  PGlite: { create(dataDir: string): Promise<OpenedPGliteDatabase> };
}

/** Options of {@link openPGlite}. */
export interface OpenPGliteOptions {
  /** Loads `@electric-sql/pglite`; default `import('@electric-sql/pglite')`, only when called. */
  load?: () => Promise<PGliteModuleLike>;
}

/** An embedded database {@link openPGlite} opened. */
export interface EmbeddedPostgres {
  /** The PGlite instance, for your own queries. */
  readonly db: OpenedPGliteDatabase;
  /** The driver the stores, `migrate()` and the inbox take. */
  readonly driver: PostgresDriver;
  /** Closes the database, then frees the data directory for another process. */
  close(): Promise<void>;
}

const importPGlite = () => import('@electric-sql/pglite') as Promise<PGliteModuleLike>;

// The optional peer, or an error that says how to install it (not Node's bare ERR_MODULE_NOT_FOUND).
async function loadPGliteModule(load: () => Promise<PGliteModuleLike>): Promise<PGliteModuleLike> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw Object.assign(
      invalidOption(
        '@electric-sql/pglite',
        'the optional peer dependency installed for openPGlite (npm install @electric-sql/pglite)',
        'it missing',
      ),
      { cause: error },
    );
  }
}

/**
 * Opens the embedded database in `dataDir` (Node only): PostgreSQL compiled to WebAssembly, running
 * in this process, its files in `<dataDir>/pglite`. Creates `dataDir` when missing and locks it to
 * this process first (see {@link lockDataDir}: PGlite does not stop a second process from opening
 * the same files, and two writers would corrupt them). PGlite is loaded only when this is called.
 * Opening an existing directory takes about a second, creating one a few more (initdb). Run
 * `migrate(driver)` before using the stores.
 *
 * @example
 * ```ts
 * const embedded = await openPGlite('.data');
 * await migrate(embedded.driver);
 * const stores = createPostgresStores({ db: embedded.driver });
 * process.once('SIGTERM', () => void embedded.close());
 * ```
 */
export async function openPGlite(dataDir: string, options: OpenPGliteOptions = {}): Promise<EmbeddedPostgres> {
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir);
  try {
    const { PGlite } = await loadPGliteModule(options.load ?? importPGlite);
    const db = await PGlite.create(join(dataDir, 'pglite'));
    const close = async () => {
      await db.close().catch(() => undefined);
      await lock.release();
    };
    return { db, driver: fromPGlite(db), close };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
