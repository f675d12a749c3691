/**
 * Loads a cold start needs anyway, moved into its first network wait. Loading the AWS SDK (about
 * 35 ms) or argon2's native module (about 12 ms) blocks the event loop; done after the secret's
 * read or the first Hydra call has answered, it adds to that wait. Registered here when a route's
 * dependencies are made, the work runs once, as soon as the first request over our own transport
 * (./hydra/transport: the secret's read, else the first Hydra call) is written to its socket: its
 * answer waits in the socket meanwhile. Only then: a blocked loop before the write (or during a
 * TLS handshake) would delay the request instead. A load that fails here is left to fail again,
 * in its place, when it is used.
 */

const waiting: Array<() => unknown> = [];

/** `work` (a load, idempotent) runs while the first request waits for its answer. */
export function loadWhileFirstRequestWaits(work: () => unknown): void {
  waiting.push(work);
}

/** Whether any work waits for a request (the transport asks before it listens). */
export function coldStartWorkWaiting(): boolean {
  return waiting.length > 0;
}

/** A request was written to its socket: the work runs now, once. */
export function firstRequestSent(): void {
  for (const work of waiting.splice(0)) {
    try {
      const result = work();
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // Used later in its place, it fails there again, with its own error handling.
    }
  }
}
