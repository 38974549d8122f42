// One app instance's inbox worker in a process of its own, for the SIGKILL test: processes the
// inbox of SCHEMA on DATABASE_URL with a lease of LEASE_MS; its handler writes a row through
// context.tx, prints "started <event id>" and then never returns.
import { Pool } from 'pg';
import { createReceiver } from '@ai-stats-webhooks/core';
import { createInboxWorker, createPostgresInbox, createPostgresStores } from '@ai-stats-webhooks/postgres';

const schema = process.env.SCHEMA!;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
pool.on('error', () => undefined);
const stores = createPostgresStores({ db: pool, schema });
const inbox = createPostgresInbox({ db: pool, schema });
const receiver = createReceiver({ secret: 'whsec_unused', logger: {}, stores, inbox });
receiver.onAny(async ({ event, tx }) => {
  await (tx as Pool).query(`insert into "${schema}".handled (event_id) values ($1)`, [event.id]);
  console.log(`started ${event.id}`);
  await new Promise(() => undefined);
});
const worker = createInboxWorker({ receiver, inbox, leaseMs: Number(process.env.LEASE_MS), pollIntervalMs: 50 });
void worker.start().then(() => console.log('worker running'));
setInterval(() => undefined, 60_000); // stays alive until killed
