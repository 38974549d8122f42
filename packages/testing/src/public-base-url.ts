/**
 * The public base URL every payload URL uses (`polling_url`, `content_url`, …), in every sender
 * generation (spec conventions).
 *
 * @example
 * ```ts
 * `${PUBLIC_BASE_URL}/v1/videos/${id}`; // 'https://api.phaseo.app/v1/videos/G-…'
 * ```
 */
export const PUBLIC_BASE_URL = 'https://api.phaseo.app';
