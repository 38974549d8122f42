import * as nodeEntry from '../src/index.node';
import * as webEntry from '../src/index.web';

// Both entries must be interchangeable: the `exports` conditions pick one, the types come from
// the Node entry. This line fails type-checking (pnpm typecheck) if the web entry drifts.
const sameTypes: typeof nodeEntry = webEntry;

describe('runtime entries', () => {
  it('export the same names', () => {
    expect(Object.keys(webEntry).sort()).toEqual(Object.keys(nodeEntry).sort());
    expect(sameTypes).toBe(webEntry);
  });

  it('bind their own default crypto provider, and the web one explains the Node-only exports', async () => {
    expect(nodeEntry.defaultCryptoProvider.name).toBe('node');
    expect(webEntry.defaultCryptoProvider.name).toBe('webcrypto');
    expect(() => webEntry.nodeCryptoProvider.hmacSha256Hex('s', '1', new Uint8Array())).toThrow(/edge runtime/);
    await expect(webEntry.nodeBodyReader({} as never)(1)).rejects.toMatchObject({ code: 'invalid_option' });
  });

  it('sign and verify the same way on both runtimes', async () => {
    const body = '{"id":"evt_1"}';
    const [viaNode, viaWeb] = await Promise.all([
      nodeEntry.computeSignature('whsec_test', 1781166600, body),
      webEntry.computeSignature('whsec_test', 1781166600, body),
    ]);
    expect(viaWeb).toBe(viaNode);
    const headers = { 'x-phaseo-timestamp': '1781166600', 'x-phaseo-signature': viaWeb };
    const options = { rawBody: body, headers, secret: 'whsec_test', now: 1781166600_000 };
    expect((await webEntry.verifySignature(options)).secretIndex).toBe(0);
    expect((await nodeEntry.verifySignature(options)).secretIndex).toBe(0);
    expect(webEntry.createReceiver({ secret: 'whsec_test' }).options.crypto.name).toBe('webcrypto');
  });
});
