import { describeAdminToken } from './helpers/admin-token-cases';
import { describeContract } from './helpers/contract-cases';
import { RUNTIME_TARGETS } from './helpers/example-target';
import { describeStartUpSafety } from './helpers/start-up-safety-cases';

// examples/fetch on the runtimes it promises besides Node, each started by its own script
// (`start:workerd` through Miniflare, `start:deno`, `start:bun`), driven through the very cases
// the Node examples pass (test/helpers/*-cases.ts).

for (const target of RUNTIME_TARGETS) {
  describeContract(target);
  describeAdminToken(target);
  describeStartUpSafety(target);
}
