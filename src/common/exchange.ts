/**
 * What a request to the cloud leaves behind: the HTTP exchange as recorded (secrets
 * already redacted) and a test's evidence. The cloud layer records exchanges, the
 * results layer stores them with each result, reports show them.
 */

/** One recorded HTTP exchange, secrets already redacted. */
export interface HttpExchange {
  method: string;
  url: string;
  status?: number;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  /** Bytes of the body not recorded because of truncation. */
  truncated?: number;
  durationMs: number;
  error?: string;
}

export interface Evidence {
  exchanges: HttpExchange[];
  /** Free-form notes a check adds (e.g. a schema violation with its JSON path). */
  notes?: string[];
}
