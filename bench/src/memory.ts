// Bytes per key of the memory dedupe store, in its own process (run with --expose-gc).
import { createMemoryDedupeStore } from '@ai-stats-webhooks/core';

const count = Number(process.argv[2] ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
gc();
const before = process.memoryUsage();
const store = createMemoryDedupeStore({ max: count });
for (let i = 0; i < count; i++) {
  // Real event ids: evt_video_G-<26 chars>_video_progress_50 (about 60 characters).
  const key = `evt_video_G-01KA7QA2B4C6D8E0${String(i).padStart(12, '0')}_video_progress_50`;
  const claim = await store.claim(key);
  if (claim.outcome === 'claimed') await store.commit(key, claim.token);
}
gc();
const after = process.memoryUsage();
const heap = after.heapUsed - before.heapUsed;
const rss = after.rss - before.rss;
process.stdout.write(
  JSON.stringify({
    count,
    heapBytes: heap,
    rssBytes: rss,
    bytesPerKey: heap / count,
    stillThere: (await store.claim(`evt_video_G-01KA7QA2B4C6D8E0${String(0).padStart(12, '0')}_video_progress_50`))
      .outcome,
  }),
);
