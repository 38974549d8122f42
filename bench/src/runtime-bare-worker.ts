// The runtimes section's baseline, as a Worker-style module that workerd, Deno and Bun all serve:
// read the body, answer JSON. What the library's handler is compared with on each runtime.
export default {
  async fetch(request: Request): Promise<Response> {
    try {
      await request.arrayBuffer();
    } catch {
      // The client went away mid-body (autocannon closing its connections at the end of a run).
      return Response.json({ error: 'body_read_failed' }, { status: 400 });
    }
    return Response.json({ ok: true });
  },
};
