export default function Home() {
  return (
    <main>
      <h1>AI Stats webhooks · Next.js</h1>
      <p>
        Webhooks: <code>POST /api/webhooks/ai-stats</code> · jobs: <a href="/api/jobs">/api/jobs</a> · events:{' '}
        <a href="/api/events">/api/events</a>
      </p>
    </main>
  );
}
