export { createRouteHandler } from './route-handler';
export type { NextRouteHandler } from './route-handler';
export { createPagesApiHandler } from './pages-api-handler';
