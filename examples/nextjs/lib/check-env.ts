import { readEnv } from './state';

// A missing or unusable setting stops the server with a message that names the variable, as the
// example-app contract asks. `next build` evaluates nothing here, so it needs no secrets.
if (process.env.NEXT_PHASE !== 'phase-production-build') {
  try {
    readEnv();
  } catch (error) {
    console.error(`Configuration error: ${(error as Error).message}`);
    process.exit(1);
  }
}
