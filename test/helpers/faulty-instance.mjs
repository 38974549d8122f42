// @ts-check
// examples/express as it is built (same createApp, same stores), with fault knobs that only tests
// use, injected around the event log that the app's handler writes to:
//   HANDLER_FAULT_RATE  probability that the handler throws (the receiver answers 500, releases)
//   FAIL_ON_ATTEMPT     the handler throws on this delivery attempt number
//   HANG_ON_EVENT       the handler never returns for event ids containing this (for SIGKILL tests)
//   LEASE_MS            dedupe lease
import { createApp } from '../../examples/express/dist/app.js';
import { readConfig } from '../../examples/express/dist/config.js';
import { createStores } from '../../examples/express/dist/stores.js';

const config = readConfig();
const stores = await createStores(config.redisUrl, { leaseMs: Number(process.env.LEASE_MS ?? 60_000) });
const faultRate = Number(process.env.HANDLER_FAULT_RATE ?? 0);
const failOnAttempt = Number(process.env.FAIL_ON_ATTEMPT ?? 0);
const hangOn = process.env.HANG_ON_EVENT;
const append = stores.events.append;
stores.events.append = async (record) => {
  if (hangOn && record.event_id.includes(hangOn)) {
    console.log(`handler hanging on ${record.event_id}`);
    await new Promise(() => undefined);
  }
  if (record.attempt === failOnAttempt) throw new Error(`injected fault on attempt ${record.attempt}`);
  if (Math.random() < faultRate) throw new Error('injected handler fault');
  return append(record);
};
const { app, poller } = createApp(config, stores);
const server = app.listen(config.port, '127.0.0.1', () => {
  console.log(`listening on http://localhost:${config.port}`);
  poller?.start();
});
process.once('SIGTERM', () => {
  poller?.stop();
  server.close(() => void stores.close().then(() => process.exit(0)));
});
