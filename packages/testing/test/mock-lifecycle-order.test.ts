import { createMockGateway } from '@ai-stats-webhooks/testing';

// A stalled event loop (a loaded CI machine) must not make a mock job skip a lifecycle step: Node
// may run overdue timers out of order, so each step is scheduled by the step before it.
it('runs every lifecycle step in order even when the event loop stalls past several of them', async () => {
  const gateway = await createMockGateway({ timeScale: 600 }); // a lifecycle of about 117 ms
  try {
    const first = gateway.createVideo({ model: 'mock/video-1', prompt: 'a' });
    await new Promise((resolve) => setTimeout(resolve, 105));
    const second = gateway.createVideo({ model: 'mock/video-1', prompt: 'b' });
    const until = Date.now() + 150;
    while (Date.now() < until); // the stall
    await gateway.idle();
    for (const job of [first, second]) {
      expect(gateway.job(job.id)).toMatchObject({ status: 'completed', progress: 100 });
    }
  } finally {
    await gateway.close();
  }
});
