import { request } from 'node:http';

/** What {@link requestWithHost} answers: the status and the body as text. */
export interface HostAnswer {
  status: number;
  body: string;
}

/**
 * One HTTP request to `url` with a `Host` header of the caller's choice, which `fetch` does not
 * let a caller set: what a browser sends after DNS rebinding (`Host: evil.example:3000` on a
 * connection to 127.0.0.1). Times out after 10 s.
 *
 * @example
 * ```ts
 * const { status } = await requestWithHost('http://127.0.0.1:3000/api/jobs', 'evil.example:3000');
 * ```
 */
export function requestWithHost(
  url: string,
  host: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HostAnswer> {
  return new Promise((resolve, reject) => {
    // A connection of its own (agent: false): never a kept-alive one the server has since closed.
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: { ...options.headers, host }, timeout: 10_000, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer from ${url} within 10 s`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
