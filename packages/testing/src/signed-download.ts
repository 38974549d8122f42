import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a mock signed download link grants (spec §8.4: the `download_token` JSON). */
export interface SignedDownloadClaims {
  readonly workspace_id: string;
  readonly video_id: string;
  readonly index: number;
  readonly disposition: 'attachment' | 'inline';
}

/** The outcome of {@link readSignedDownload}. */
export type SignedDownloadCheck =
  | { readonly ok: true; readonly claims: SignedDownloadClaims }
  | { readonly ok: false; readonly reason: 'invalid_download_signature' | 'download_url_expired' };

/**
 * A signed content URL as the gateway makes it (spec §8.4, §8.5): `download_token` (base64url
 * JSON of the claims), `download_sig` (HMAC-SHA256 of `<token>.<expires_at>` with the server's
 * key) and `expires_at` (seconds); `index` only for an output other than 0.
 *
 * @example
 * ```ts
 * signDownloadUrl(key, 'http://127.0.0.1:4010/v1', { workspace_id: 'mock', video_id: id, index: 0, disposition: 'attachment' }, expiresAt);
 * ```
 */
export function signDownloadUrl(key: Buffer, baseUrl: string, claims: SignedDownloadClaims, expiresAt: number): string {
  const token = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const query = new URLSearchParams({
    download_token: token,
    download_sig: downloadSignature(key, token, String(expiresAt)),
    expires_at: String(expiresAt),
  });
  if (claims.index !== 0) query.set('index', String(claims.index));
  return `${baseUrl}/videos/${encodeURIComponent(claims.video_id)}/content?${query.toString()}`;
}

/**
 * Checks the signed query of a content request: the signature over the token and `expires_at`
 * (constant time), then the expiry against `nowSeconds`. The claims say which video it grants.
 *
 * @example
 * ```ts
 * readSignedDownload(key, new URL(downloadUrl).searchParams, Date.now() / 1000); // { ok: true, claims }
 * ```
 */
export function readSignedDownload(key: Buffer, query: URLSearchParams, nowSeconds: number): SignedDownloadCheck {
  const token = query.get('download_token') ?? '';
  const expiresAt = query.get('expires_at') ?? '';
  const signature = Buffer.from(query.get('download_sig') ?? '');
  const expected = Buffer.from(downloadSignature(key, token, expiresAt));
  const claims = readClaims(token);
  if (
    !/^\d{1,12}$/.test(expiresAt) ||
    !claims ||
    signature.length !== expected.length ||
    !timingSafeEqual(signature, expected)
  )
    return { ok: false, reason: 'invalid_download_signature' };
  if (Number(expiresAt) <= nowSeconds) return { ok: false, reason: 'download_url_expired' };
  return { ok: true, claims };
}

function downloadSignature(key: Buffer, token: string, expiresAt: string): string {
  return createHmac('sha256', key).update(`${token}.${expiresAt}`).digest('hex');
}

function readClaims(token: string): SignedDownloadClaims | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<SignedDownloadClaims>;
    if (typeof claims.video_id !== 'string' || !Number.isInteger(claims.index)) return undefined;
    return {
      ...claims,
      disposition: claims.disposition === 'inline' ? 'inline' : 'attachment',
    } as SignedDownloadClaims;
  } catch {
    return undefined;
  }
}
