// Run by `npm start` before `next start`: Next.js reads PORT itself and, given one it cannot listen
// on (PORT=70000), dies of an unhandled RangeError with exit status 0 and no word of PORT, before
// instrumentation.ts (lib/check-env.ts) runs. This stops it first, as the other examples do.

/**
 * The message for an unusable PORT, or undefined when PORT is unset, empty or an integer from 0
 * to 65535 (the rule of examples/express and examples/fetch).
 *
 * @example
 * ```js
 * portProblem('70000'); // 'PORT must be an integer from 0 to 65535, found "70000". …'
 * ```
 */
export function portProblem(raw) {
  const value = raw?.trim();
  if (!value) return undefined;
  const port = Number(value);
  if (/^\d+$/.test(value) && port <= 65_535) return undefined;
  return `PORT must be an integer from 0 to 65535, found ${JSON.stringify(value.slice(0, 40))}. Fix: set PORT to a free port such as 3000, or unset it.`;
}

const problem = portProblem(process.env.PORT);
if (problem) {
  console.error(`Configuration error: ${problem}`);
  process.exit(1);
}
