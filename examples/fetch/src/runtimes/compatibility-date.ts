/**
 * The Workers compatibility date this example is tested with on workerd (one the pinned
 * miniflare's workerd supports). A deployment sets its own in wrangler.toml.
 *
 * @example
 * ```ts
 * new Miniflare({ modules: true, scriptPath, compatibilityDate: COMPATIBILITY_DATE });
 * ```
 */
export const COMPATIBILITY_DATE = '2026-04-20';
