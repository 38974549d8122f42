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

/**
 * The Workers compatibility flags this example needs: `nodejs_compat`, for the Node built-ins
 * prom-client requires (GET /metrics). A deployment sets the same in wrangler.toml.
 *
 * @example
 * ```toml
 * compatibility_flags = ["nodejs_compat"]
 * ```
 */
export const COMPATIBILITY_FLAGS = ['nodejs_compat'];
