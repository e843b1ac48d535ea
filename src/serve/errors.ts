/** A refusal the service explains to the client: HTTP status, stable code, one-line reason. */
export class ServeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServeError';
  }
}

export const badRequest = (msg: string) => new ServeError(400, 'bad_request', msg);
export const unauthenticated = (msg = 'log in or give an API token') => new ServeError(401, 'unauthenticated', msg);
export const forbidden = (msg: string) => new ServeError(403, 'forbidden', msg);
export const notFound = (what: string) => new ServeError(404, 'not_found', `${what} not found`);
export const conflict = (msg: string) => new ServeError(409, 'conflict', msg);
export const unprocessable = (code: string, msg: string) => new ServeError(422, code, msg);
