/**
 * HTTP behaviour that data.police.uk clients depend on: its request-line limit
 * and its error bodies (mostly empty, sometimes `Not Found`), with our stable
 * error code added as a header so logs and new clients can tell causes apart.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';

/** Upstream answers 400 to a GET whose request line is longer than this. */
export const MAX_REQUEST_LINE = 4094;

export async function requestLineLimit(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const line = `${request.method} ${request.raw.url ?? ''} HTTP/${request.raw.httpVersion}`;
  if (line.length > MAX_REQUEST_LINE) {
    throw new AppError('SC_ERR_REQUEST_LINE_TOO_LONG');
  }
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  reply.code(error.status).header('X-Error-Code', error.code).header('X-Error-Message', error.message.replace(/[^\x20-\x7e]/g, ''));
  const body = error.compatBody;
  if (body === '') return reply.type('text/html; charset=utf-8').send('');
  if (body === 'Request Line is too large') {
    return reply.type('text/html; charset=utf-8').send('<html><body><h1>400 Bad request</h1>Request Line is too large</body></html>');
  }
  return reply.type('text/plain; charset=utf-8').send(body);
}

/**
 * Fastify's own refusals of a request (a body it cannot parse, of a type it does not
 * take, or too large) as registered codes: they are the client's mistakes, so 4xx and
 * never logged as faults. Undefined for anything that is not a client error.
 */
export function clientErrorFor(error: FastifyError | Error): AppError | undefined {
  if (error instanceof AppError) return error.status < 500 ? error : undefined;
  const status = 'statusCode' in error ? error.statusCode : undefined;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const codes: Partial<Record<number, ErrorCode>> = {
    404: 'SC_ERR_NOT_FOUND',
    408: 'SC_ERR_REQUEST_TIMEOUT',
    413: 'SC_ERR_BODY_TOO_LARGE',
    414: 'SC_ERR_URL_TOO_LONG',
    415: 'SC_ERR_UNSUPPORTED_MEDIA_TYPE',
    431: 'SC_ERR_HEADERS_TOO_LARGE',
  };
  return new AppError(codes[status] ?? 'SC_ERR_BAD_REQUEST', undefined, { cause: error });
}

export function compatErrorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return sendError(reply, error);
  const client = clientErrorFor(error);
  if (client !== undefined) {
    // Upstream answers a POST body it cannot use (JSON, a malformed or huge form) with an empty 400.
    const api = request.url.startsWith('/api/');
    return sendError(reply, api && client.code !== 'SC_ERR_NOT_FOUND' ? new AppError('SC_ERR_BAD_BODY', error.message) : client);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, new AppError('SC_ERR_INTERNAL'));
}
