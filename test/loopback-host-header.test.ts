import { isLoopbackHostHeader as expressCheck } from '../examples/express/src/is-loopback-host';
import { readListLimit as expressLimit } from '../examples/express/src/job-routes';
import { isLoopbackHostHeader as fetchCheck } from '../examples/fetch/src/is-loopback-host';
import { readListLimit as fetchLimit } from '../examples/fetch/src/app';
import { isLoopbackHostHeader as nextCheck } from '../examples/nextjs/lib/is-loopback-host';

// The two pure pieces behind the examples' admin guard without ADMIN_TOKEN (the Host check
// against DNS rebinding) and GET /api/jobs?limit=; the HTTP behaviour is in the contract cases.

describe.each([
  ['express', expressCheck],
  ['fetch', fetchCheck],
  ['nextjs', nextCheck],
])('%s: isLoopbackHostHeader', (_name, isLoopbackHostHeader) => {
  it.each([
    ['127.0.0.1:3000'],
    ['localhost:3000'],
    ['LOCALHOST:3000'],
    ['[::1]:3000'],
    ['127.1.2.3:3000'],
    ['[::ffff:127.0.0.1]:3000'],
    ['127.0.0.1:8080'], // a proxy on this machine, on another port
    ['localhost'], // port 80
  ])('accepts %s', (host) => expect(isLoopbackHostHeader(host)).toBe(true));

  it.each([
    ['evil.example:3000'],
    ['127.0.0.1.evil.example:3000'],
    ['localhost.evil.example:3000'],
    ['::1'], // an IPv6 Host must be in brackets
    ['[::2]:3000'],
    ['0.0.0.0:3000'],
    ['127.0.0.1:3000:1'],
    ['127.0.0.1:abc'],
    [''],
    [null],
    [undefined],
  ])('refuses %p', (host) => expect(isLoopbackHostHeader(host)).toBe(false));
});

describe.each([
  [
    'express',
    (raw: string[] | undefined) => expressLimit(raw === undefined ? undefined : raw.length === 1 ? raw[0] : raw),
  ],
  ['fetch', fetchLimit],
])('%s: readListLimit', (_name, readListLimit) => {
  it('defaults to 1000 and takes 1 to 10000', () => {
    expect(readListLimit(undefined)).toEqual({ limit: 1000 });
    expect(readListLimit(['1'])).toEqual({ limit: 1 });
    expect(readListLimit(['10000'])).toEqual({ limit: 10000 });
  });

  it.each([[['0']], [['10001']], [['-5']], [['2.5']], [['']], [['ten']], [['1', '2']], [['9'.repeat(20)]]])(
    'refuses %p, naming limit and the range',
    (raw) =>
      expect(readListLimit(raw)).toEqual({
        message: expect.stringMatching(/^Expected limit to be an integer from 1 to 10000, found .+\. Fix: /),
      }),
  );
});
