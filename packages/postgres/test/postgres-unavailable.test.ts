import { createReceiver } from '@ai-stats-webhooks/core';
import { createPostgresStores, migrate } from '@ai-stats-webhooks/postgres';
import { SECRET, fixture, sign } from '../../../test/helpers/deliveries';
import { startPgFixture, type PgFixture } from './helpers/pg-pools';

let pg: PgFixture;

beforeAll(async () => {
  pg = await startPgFixture(1);
  await migrate(pg.pools[0]!);
}, 60_000);
afterAll(() => pg?.close(), 30_000);

describe('PostgreSQL unreachable', () => {
  it('answers 503 and runs no handler while the server is down, then recovers', async () => {
    const receiver = createReceiver({ secret: SECRET, logger: {}, stores: createPostgresStores({ db: pg.pools[0]! }) });
    let handled = 0;
    receiver.onAny(() => void handled++);
    const d = sign(fixture('video.completed.json'));
    const send = () => receiver.handle({ method: 'POST', headers: d.headers, rawBody: d.body });
    await pg.server.stop();
    const down = await send();
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toMatchObject({ error: 'store_unavailable' });
    expect(handled).toBe(0);
    await pg.server.start();
    let res = await send();
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await send();
    }
    expect(res.status).toBe(200);
    expect(handled).toBe(1);
    expect(JSON.parse((await send()).body)).toMatchObject({ duplicate: true });
  }, 30_000);
});
