/**
 * The one registry of error codes. Codes are stable and never reused: clients and
 * logs rely on them. Each carries the HTTP status and, for the data.police.uk
 * compatible routes, the exact body upstream sends (usually nothing at all), so
 * that existing clients see the same answer while our logs see a precise code.
 */

interface ErrorSpec {
  status: number;
  message: string;
  /** What data.police.uk puts in the body for this condition. */
  compatBody: '' | 'Not Found' | 'Request Line is too large';
}

export const ERRORS = {
  SC_ERR_NOT_FOUND: { status: 404, message: 'Not Found', compatBody: 'Not Found' },
  SC_ERR_UNKNOWN_FORCE: { status: 404, message: 'No such force', compatBody: 'Not Found' },
  SC_ERR_UNKNOWN_NEIGHBOURHOOD: { status: 404, message: 'No such neighbourhood in this force', compatBody: 'Not Found' },
  SC_ERR_NO_NEIGHBOURHOOD_AT_POINT: { status: 404, message: 'No neighbourhood covers that point, or q is not "lat,lng"', compatBody: 'Not Found' },
  SC_ERR_BAD_DATE: { status: 404, message: 'date must be YYYY-MM and within the months served', compatBody: '' },
  SC_ERR_BAD_LOCATION: { status: 400, message: 'Give lat and lng as numbers, or poly, or location_id', compatBody: '' },
  SC_ERR_BAD_POLY: { status: 404, message: 'poly must be lat,lng pairs separated by colons', compatBody: '' },
  SC_ERR_POLY_TOO_FEW_POINTS: { status: 502, message: 'poly needs at least three points', compatBody: '' },
  SC_ERR_AREA_TOO_LARGE: { status: 503, message: 'The area holds more records than the limit; split it into smaller areas', compatBody: '' },
  SC_ERR_REQUEST_LINE_TOO_LONG: { status: 400, message: 'Request line over 4094 characters; send poly by POST', compatBody: 'Request Line is too large' },
  SC_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; slow down', compatBody: '' },
  SC_ERR_BAD_BODY: { status: 400, message: 'Send poly and date as an application/x-www-form-urlencoded body', compatBody: '' },
  SC_ERR_UNKNOWN_LOCATION: { status: 404, message: 'No such location_id', compatBody: '' },
  SC_ERR_UNKNOWN_CRIME: { status: 404, message: 'No crime with that persistent id', compatBody: '' },
  SC_ERR_UNKNOWN_FORCE_UPSTREAM_502: { status: 502, message: 'No such force', compatBody: '' },
  SC_ERR_BAD_MAP_QUERY: { status: 400, message: 'A /map-data parameter is missing or malformed', compatBody: '' },
  SC_ERR_MAP_UNKNOWN_LOCATION: { status: 404, message: 'No map location with that id', compatBody: '' },
  SC_ERR_MAP_UNKNOWN_CLUSTER: { status: 404, message: 'No cluster with that id for this month and category', compatBody: '' },
  SC_ERR_MAP_UNKNOWN_FORCE: { status: 404, message: 'No force with that id', compatBody: '' },
  SC_ERR_MAP_NOT_FOUND: { status: 404, message: 'No such /map-data endpoint', compatBody: '' },
  SC_ERR_SIGN_IN_REQUIRED: { status: 401, message: 'Sign in to do this', compatBody: '' },
  SC_ERR_SECOND_FACTOR_REQUIRED: { status: 401, message: 'Finish signing in with your authentication app first', compatBody: '' },
  SC_ERR_FORBIDDEN: { status: 403, message: 'You do not have permission to do this', compatBody: '' },
  SC_ERR_CSRF: { status: 403, message: 'The form was out of date or came from another site; go back, reload the page and try again', compatBody: '' },
  SC_ERR_THROTTLED: { status: 429, message: 'Too many attempts; wait and try again', compatBody: '' },
  SC_ERR_ACCOUNT_LOCKED: { status: 429, message: 'This account is locked for a while after too many failed attempts', compatBody: '' },
  SC_ERR_LINK_INVALID: { status: 400, message: 'The link has expired or has already been used', compatBody: '' },
  SC_ERR_INVALID_FORM: { status: 400, message: 'The form has errors', compatBody: '' },
  SC_ERR_UNKNOWN_PERSON: { status: 404, message: 'No such person', compatBody: 'Not Found' },
  SC_ERR_UNKNOWN_ORGANISATION: { status: 404, message: 'No such organisation', compatBody: 'Not Found' },
  SC_ERR_UNKNOWN_MESSAGE: { status: 404, message: 'No such message in the outbox', compatBody: 'Not Found' },
  SC_ERR_UNKNOWN_GUIDE: { status: 404, message: 'No such guide', compatBody: 'Not Found' },
  SC_ERR_ROLE_NOT_ALLOWED: { status: 400, message: 'That role cannot be held in that kind of organisation', compatBody: '' },
  // The HTTP edge: requests the server cannot read or take, whoever noticed (src/http-edge.ts).
  SC_ERR_BAD_REQUEST: { status: 400, message: 'The request could not be read. Go back and try again', compatBody: '' },
  SC_ERR_NUL_IN_INPUT: { status: 400, message: 'The address or form holds a NUL character (%00), which no field accepts; remove it and try again', compatBody: '' },
  SC_ERR_BAD_URL: { status: 400, message: 'The address has a malformed percent-escape', compatBody: '' },
  SC_ERR_URL_TOO_LONG: { status: 414, message: 'A part of the address is too long', compatBody: '' },
  SC_ERR_BODY_TOO_LARGE: { status: 413, message: 'What was sent is too large', compatBody: '' },
  SC_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Forms are sent as application/x-www-form-urlencoded or multipart/form-data', compatBody: '' },
  SC_ERR_REQUEST_TIMEOUT: { status: 408, message: 'The request took too long to arrive', compatBody: '' },
  SC_ERR_HEADERS_TOO_LARGE: { status: 431, message: 'The request headers are too large', compatBody: '' },
  SC_ERR_EXPECTATION_FAILED: { status: 417, message: 'The only Expect header this server meets is 100-continue', compatBody: '' },
  SC_ERR_SHUTTING_DOWN: { status: 503, message: 'This server is shutting down; try again', compatBody: '' },
  // A send to many people refused by its sender's limits (src/throttle/fan-out.repository.ts).
  SC_ERR_FAN_OUT_LIMITED: { status: 429, message: 'Too many messages to many people in a short time; wait and try again', compatBody: '' },
  // 400 with an empty body, as upstream answers a polygon too long for a GET request line.
  SC_ERR_POLY_TOO_MANY_POINTS: { status: 400, message: 'poly has more points than the limit (MAX_POLYGON_VERTICES in src/geo/geo.ts); simplify the outline or split the area', compatBody: '' },
  // A coordinator's decision on someone with nothing to decide: no pending application, not a member.
  SC_ERR_MEMBERSHIP_STALE: { status: 409, message: 'That person has no application or membership that this change applies to', compatBody: '' },
  // An import file refused whole, its month left as it was (src/import/csv-file.service.ts). The import command reports these; no route answers with them.
  SC_ERR_IMPORT_NO_ROWS: { status: 422, message: 'The import file has no row that could be imported', compatBody: '' },
  SC_ERR_IMPORT_TOO_MANY_REJECTED: { status: 422, message: "More of the import file's rows were rejected than IMPORT_MAX_REJECTED_SHARE allows", compatBody: '' },
  SC_ERR_INTERNAL: { status: 500, message: 'Something went wrong on our side', compatBody: '' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  /** For a refusal that ends: sent as Retry-After by the error handlers. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(detail ?? ERRORS[code].message, options);
    this.name = 'AppError';
    this.status = ERRORS[code].status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  get compatBody(): string {
    return ERRORS[this.code].compatBody;
  }
}

/** Shorthand for throwing a registered error. */
export function fail(code: ErrorCode, detail?: string): never {
  throw new AppError(code, detail);
}
