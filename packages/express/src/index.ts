export { createExpressMiddleware } from './express-middleware';
export type { ExpressWebhookMiddleware } from './express-middleware';
export { createNodeHandler } from './node-handler';
export type { NodeRequest, NodeWebhookHandler } from './node-handler';
