import { redactCredentials } from '@ai-stats-webhooks/core';
import { readEnv } from './read-env';

// A missing or unusable setting (or a non-loopback HOST without ADMIN_TOKEN) stops the server with
// a message that names the variable, as the example-app contract asks; credentials in a URL are
// never printed. `next build` evaluates nothing here, so it needs no secrets.
if (process.env.NEXT_PHASE !== 'phase-production-build') {
  try {
    readEnv();
  } catch (error) {
    console.error(redactCredentials(`Configuration error: ${(error as Error).message}`));
    process.exit(1);
  }
}
