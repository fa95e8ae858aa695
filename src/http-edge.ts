/**
 * The edge of the HTTP server: the answers Fastify and Node give before any route or
 * hook runs, and the time limits on slow clients. Fastify's own answers here skip every
 * hook (so the security headers) and echo the URL back; these carry the headers, under
 * /api/ upstream's error body with our code, elsewhere a short page, and echo nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { sendError } from './api/compat-http.ts';
import { AppError, type ErrorCode } from './errors.ts';
import { securityHeaders } from './site/security-headers.ts';

/** Whether an error answers as data.police.uk does rather than with a page. */
export function wantsCompatAnswer(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || !(request.headers.accept ?? '').includes('text/html');
}

/**
 * The last-resort page, for when the site's own error page cannot be used (the router
 * refused the URL before anything that renders pages ran, or rendering failed). It loads
 * nothing, so the strictest policy fits it.
 */
export function plainErrorPage(error: AppError): string {
  const title = error.status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem';
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n<body><h1>${title}</h1><p>${ERROR_TEXT[error.code] ?? ''}</p><p><a href="/">Go to the home page</a></p></body></html>\n`;
}

/** Fixed text only: a message can carry a detail from the request. */
const ERROR_TEXT: Partial<Record<ErrorCode, string>> = {
  SC_ERR_BAD_URL: 'The address is not valid. Check it and try again.',
  SC_ERR_URL_TOO_LONG: 'The address is too long. Check it and try again.',
  SC_ERR_INTERNAL: 'Try again later. If you need to report a crime, call 101, or 999 in an emergency.',
};

/** Answers `error` with the security headers set here, for replies no hook will see. */
export function sendEdgeError(config: Config, request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  reply.headers(securityHeaders(config));
  if (wantsCompatAnswer(request)) return sendError(reply, error);
  return reply.code(error.status).header('X-Error-Code', error.code).type('text/html; charset=utf-8').send(plainErrorPage(error));
}

/**
 * Fastify's frameworkErrors: a URL with a malformed percent-escape, a path segment
 * longer than the router takes, a failed routing constraint. Fastify's default answers
 * skip the hooks and echo the URL.
 */
export function frameworkErrorHandler(config: Config): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const code: ErrorCode =
      error.code === 'FST_ERR_BAD_URL' ? 'SC_ERR_BAD_URL' : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'SC_ERR_URL_TOO_LONG' : 'SC_ERR_INTERNAL';
    if (code === 'SC_ERR_INTERNAL') request.log.error({ err: error }, 'routing failed');
    sendEdgeError(config, request, reply, new AppError(code));
  };
}

const RAW_ERRORS: Record<string, ErrorCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'SC_ERR_REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'SC_ERR_HEADERS_TOO_LARGE',
};

const REASONS: Partial<Record<number, string>> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/**
 * Node's clientError: a request it could not parse, headers too large, or a request that
 * did not arrive in time (HTTP_HEADERS_TIMEOUT_SECONDS, HTTP_REQUEST_TIMEOUT_SECONDS).
 * There is no request to speak of, so the answer is written to the socket directly, with
 * an empty body (what upstream sends for its errors) and the connection closed.
 */
export function clientErrorHandler(config: Config): (this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) => void {
  const headerLines = Object.entries(securityHeaders(config))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return function onClientError(error, socket) {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const appError = new AppError(RAW_ERRORS[error.code ?? ''] ?? 'SC_ERR_BAD_REQUEST');
    this.log.debug({ err: error, code: appError.code }, 'refused a request Node could not read');
    // As Node itself does: once a response to this request has started, nothing more can be written.
    const response = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (socket.writable && response?.headersSent !== true) {
      socket.write(
        `HTTP/1.1 ${appError.status} ${REASONS[appError.status] ?? 'Bad Request'}\r\n` +
          'Connection: close\r\nContent-Length: 0\r\nContent-Type: text/html; charset=utf-8\r\n' +
          `X-Error-Code: ${appError.code}\r\n${headerLines}\r\n`,
      );
    }
    socket.destroy(error);
  };
}

/**
 * Node's checkExpectation: a request with an Expect header other than 100-continue,
 * which Node would otherwise refuse itself, with none of our headers.
 */
export function expectationFailedHandler(config: Config): (request: IncomingMessage, response: ServerResponse) => void {
  const headers = { ...securityHeaders(config), 'X-Error-Code': 'SC_ERR_EXPECTATION_FAILED', 'Content-Length': '0', Connection: 'close' };
  return (_request, response) => {
    response.writeHead(new AppError('SC_ERR_EXPECTATION_FAILED').status, headers).end();
  };
}

/**
 * While the server closes, requests still arriving on open connections are refused with
 * 503 here, through the hooks, rather than by Fastify's own 503 (return503OnClosing), which
 * skips them. Add after the security headers' hook.
 */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) throw new AppError('SC_ERR_SHUTTING_DOWN');
  });
}

/**
 * Time limits on slow clients, as Fastify server options. Node checks its request and
 * headers limits every connectionsCheckingInterval (30 seconds unless told): checking a
 * few times per limit makes a 20-second limit mean 20 to 25 seconds, not up to 50.
 */
export function serverTimeouts(config: Config): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'> & {
  http: { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number };
} {
  const requestTimeout = config.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  const headersTimeout = config.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  return {
    requestTimeout,
    connectionTimeout: (config.HTTP_IDLE_TIMEOUT_SECONDS ?? 0) * 1000,
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    http: { requestTimeout, headersTimeout, connectionsCheckingInterval: Math.min(5000, Math.max(250, headersTimeout / 4)) },
  };
}
