/**
 * HTTP behaviour that data.police.uk clients depend on: its request-line limit
 * and its error bodies (mostly empty, sometimes `Not Found`), with our stable
 * error code added as a header so logs and new clients can tell causes apart.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';

/** Upstream answers 400 to a GET whose request line is longer than this. */
export const MAX_REQUEST_LINE = 4094;

export async function requestLineLimit(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const line = `${request.method} ${request.raw.url ?? ''} HTTP/${request.raw.httpVersion}`;
  if (line.length > MAX_REQUEST_LINE) {
    throw new AppError('SC_ERR_REQUEST_LINE_TOO_LONG');
  }
}

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  reply.code(error.status).header('X-Error-Code', error.code).header('X-Error-Message', error.message.replace(/[^\x20-\x7e]/g, ''));
  const body = error.compatBody;
  if (body === '') return reply.type('text/html; charset=utf-8').send('');
  if (body === 'Request Line is too large') {
    return reply.type('text/html; charset=utf-8').send('<html><body><h1>400 Bad request</h1>Request Line is too large</body></html>');
  }
  return reply.type('text/plain; charset=utf-8').send(body);
}

export function compatErrorHandler(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return sendError(reply, error);
  // Body parsing failures (a JSON body upstream would refuse, a malformed form) are the client's.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, new AppError('SC_ERR_BAD_BODY', error.message));
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, new AppError('SC_ERR_INTERNAL'));
}
