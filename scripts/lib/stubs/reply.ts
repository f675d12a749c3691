/**
 * The shape every stub answers in, whatever carries it: a loopback server (../servers), an
 * in-memory socket (./memory-connection) or a `fetch` stand-in in the unit tests. No imports: the
 * bench's runners bundle the stubs.
 */

/** One HTTP request as a stub sees it. */
export interface StubRequest {
  method: string;
  /** The path and query, as on the request line. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface StubReply {
  status: number;
  headers?: Record<string, string>;
  /** None for a 204. */
  body?: string;
}

export function json(status: number, body: unknown): StubReply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

export const NO_CONTENT: StubReply = { status: 204 };

/** Calls per operation, e.g. `get login request`: 1. */
export type CallCounts = Record<string, number>;

export function count(counts: CallCounts, operation: string): void {
  counts[operation] = (counts[operation] ?? 0) + 1;
}

/** The stub's reply as the Response `fetch` would resolve to. */
export function toResponse(reply: StubReply): Response {
  return new Response(reply.body ?? null, { status: reply.status, headers: reply.headers });
}
