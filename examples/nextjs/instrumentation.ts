// Runs once when the server starts, before it serves: checks the settings and opens the stores
// (migrating the database). The check lives in a Node-only module (it may exit the process).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./lib/check-env')).checkEnv();
}
