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
