/**
 * Inbound routing of calls to jambonz applications on the core router.
 */
export { APP_ROUTE_PRIORITY, mountAppRouting, patternOf, type AppRoutingOptions } from './app-routing.ts';
export { unavailableSessions } from './unavailable-runtime.ts';
