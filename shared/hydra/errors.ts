/** What can go wrong talking to Hydra's admin API, in the terms the flows decide on. */

/** Hydra no longer knows the challenge: unknown, tampered with (404/400) or expired (401). */
export class ChallengeNotFoundError extends Error {
  constructor(readonly status: number) {
    super(`Hydra does not know this challenge (HTTP ${status})`);
    this.name = 'ChallengeNotFoundError';
  }
}

/**
 * Hydra answered 410: the request was already handled. The browser belongs at `redirectTo`, when
 * Hydra gave an absolute http(s) URL; otherwise there is nowhere to send it.
 */
export class RequestAlreadyHandledError extends Error {
  constructor(readonly redirectTo: string | undefined) {
    super('Hydra says this request was already handled');
    this.name = 'RequestAlreadyHandledError';
  }
}

/** Hydra answered 409: the request was accepted or rejected already (a double submit). */
export class RequestConflictError extends Error {
  constructor() {
    super('Hydra says this request was already accepted or rejected');
    this.name = 'RequestConflictError';
  }
}

export type HydraFailure = 'timeout' | 'network' | 'server' | 'unexpected';

/** Hydra is down, slow or answered something we cannot use: fail closed. */
export class HydraUnavailableError extends Error {
  constructor(
    readonly failure: HydraFailure,
    readonly operation: string,
    readonly status?: number,
  ) {
    // Never carry Hydra's URL here: it contains the challenge.
    super(`Hydra admin API ${failure} on ${operation}${status ? ` (HTTP ${status})` : ''}`);
    this.name = 'HydraUnavailableError';
  }
}
