import { createMemoryDedupeStore, createReceiver } from '@ai-stats-webhooks/core';
import { SECRET, event, sign } from '../../../test/helpers/deliveries';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The heartbeat renews a claim while its handlers run, for maxHoldMs at most: a handler that hangs
// must not answer every retry of its event with 409 until the sender gives up.
describe('the claim hold limit (maxHoldMs)', () => {
  it('stops renewing the lease of a hung handler, so a later attempt processes the event', async () => {
    const warnings: string[] = [];
    const receiver = createReceiver({
      secret: SECRET,
      dedupe: createMemoryDedupeStore({ leaseMs: 150 }),
      maxHoldMs: 250,
      logger: { warn: (message) => void warnings.push(message) },
    });
    let release: () => void = () => undefined;
    const ran: number[] = [];
    receiver.on('video.completed', ({ delivery }) => {
      ran.push(delivery.attempt);
      if (delivery.attempt === 1) return new Promise<void>((resolve) => (release = resolve));
    });
    const send = (attempt: number) => {
      const d = sign(event('video.completed.json', { attempt }));
      return receiver.handle({ method: 'POST', headers: d.headers, rawBody: Buffer.from(d.body) });
    };
    const hung = send(1);
    await sleep(200); // past leaseMs: only the heartbeat keeps the claim
    expect((await send(2)).status).toBe(409);
    await sleep(450); // past maxHoldMs + leaseMs + one heartbeat
    expect((await send(3)).status).toBe(200);
    expect(ran).toEqual([1, 3]);
    expect(warnings).toEqual([expect.stringMatching(/have run for more than 250 ms; its lease is no longer renewed/)]);
    release();
    expect((await hung).status).toBe(200);
  });

  it('keeps renewing a slow handler within maxHoldMs (no second run)', async () => {
    const receiver = createReceiver({
      secret: SECRET,
      dedupe: createMemoryDedupeStore({ leaseMs: 90 }),
      logger: {},
    });
    let runs = 0;
    receiver.on('video.completed', async () => {
      runs++;
      await sleep(400);
    });
    const d = sign(event('video.completed.json'));
    const first = receiver.handle({ method: 'POST', headers: d.headers, rawBody: Buffer.from(d.body) });
    await sleep(250);
    const retry = sign(event('video.completed.json', { attempt: 2 }));
    expect(
      (await receiver.handle({ method: 'POST', headers: retry.headers, rawBody: Buffer.from(retry.body) })).status,
    ).toBe(409);
    expect((await first).status).toBe(200);
    expect(runs).toBe(1);
  });

  it('refuses a maxHoldMs that is not a timer duration', () => {
    expect(() => createReceiver({ secret: SECRET, maxHoldMs: 0 })).toThrow(/Option "maxHoldMs"/);
    expect(() => createReceiver({ secret: SECRET, maxHoldMs: 2 ** 31 })).toThrow(/Option "maxHoldMs"/);
  });

  it.each([
    ['can extend leases', true, /the heartbeat could not renew it in time .* raise leaseMs above the longest pause/],
    ['cannot extend leases', false, /raise leaseMs above the slowest handler or use a store that can extend leases/],
  ])('says what to change when a commit finds its lease taken, for a store that %s', async (_, canExtend, fix) => {
    const memory = createMemoryDedupeStore();
    const store = {
      claim: memory.claim.bind(memory),
      release: memory.release.bind(memory),
      commit: async () => false, // another worker holds the key now
      ...(canExtend ? { extend: memory.extend!.bind(memory), leaseMs: memory.leaseMs } : {}),
    };
    const warnings: string[] = [];
    const receiver = createReceiver({ secret: SECRET, dedupe: store, logger: { warn: (m) => void warnings.push(m) } });
    const d = sign(event('video.completed.json'));
    expect((await receiver.handle({ method: 'POST', headers: d.headers, rawBody: Buffer.from(d.body) })).status).toBe(
      200,
    );
    expect(warnings).toEqual([expect.stringMatching(fix)]);
  });
});
