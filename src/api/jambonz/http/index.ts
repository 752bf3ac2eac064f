/**
 * The platform's HTTP server (fastify) and the bearer API key guard of the REST API.
 */
export { splitListen, startHttpServer, type HttpServer, type HttpServerOptions } from './http-server.ts';
export { bearerGuard, bearerToken, sameSecret } from './bearer-auth.ts';
