// 127.0.0.0/8 in dotted-quad form, each part 0–255.
const IPV4_LOOPBACK = /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * True when `host` only accepts connections from this machine: `localhost`, an address in
 * 127.0.0.0/8, or `::1` (also in brackets or as `::ffff:127.x.y.z`). `0.0.0.0`, `::`, a LAN
 * address or a host name are not loopback.
 *
 * @example
 * ```ts
 * isLoopbackHost('127.0.0.1'); // true
 * isLoopbackHost('0.0.0.0'); // false: every interface
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  return IPV4_LOOPBACK.test(name.replace(/^::ffff:/, ''));
}

// A Host header: a name or IPv4 address, or an IPv6 address in brackets; then an optional port.
const HOST_HEADER = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/;

/**
 * True when a request's `Host` header names this machine (see {@link isLoopbackHost}), on any port.
 * What keeps DNS rebinding out of an app that trusts loopback: a page on evil.example whose name
 * was made to resolve to 127.0.0.1 still sends `Host: evil.example`. (The port is not compared: a
 * rebinding page cannot choose a loopback name, and a proxy on this machine may use another port.)
 * A missing or malformed header is not loopback.
 *
 * @example
 * ```ts
 * isLoopbackHostHeader('localhost:3000'); // true
 * isLoopbackHostHeader('evil.example:3000'); // false: DNS rebinding
 * ```
 */
export function isLoopbackHostHeader(host: string | null | undefined): boolean {
  const match = HOST_HEADER.exec(host?.trim() ?? '');
  return match !== null && isLoopbackHost(match[1]!);
}
