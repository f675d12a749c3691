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

export type HydraFailure = 'timeout' | 'network' | 'server' | 'refused' | 'unexpected';

/** What went wrong, as the second half of a sentence about Hydra's admin API. */
function reasonOf(failure: HydraFailure, status: number | undefined): string {
  switch (failure) {
    case 'timeout':
      return "Hydra's admin API did not answer in time";
    case 'network':
      return "Hydra's admin API could not be reached (network error)";
    case 'server':
      return `Hydra's admin API answered with a server error (HTTP ${status ?? 'unknown'})`;
    case 'refused':
      return `Hydra's admin API refused the request (HTTP ${status ?? 'unknown'}): check HYDRA_ADMIN_TOKEN`;
    case 'unexpected':
      return status
        ? `Hydra's admin API answered HTTP ${status}, which is not an answer we expect`
        : "Hydra's admin API gave an answer that cannot be used";
  }
}

/**
 * Hydra is down, slow or answered something we cannot use: fail closed. The message is a
 * sentence ("Could not revoke consent sessions: Hydra's admin API did not answer in time.");
 * `reason` is its second half, for a caller that says itself what it was doing.
 */
export class HydraUnavailableError extends Error {
  readonly reason: string;

  constructor(
    readonly failure: HydraFailure,
    readonly operation: string,
    readonly status?: number,
  ) {
    // Never carry Hydra's URL here: it contains the challenge.
    const reason = reasonOf(failure, status);
    super(`Could not ${operation}: ${reason}.`);
    this.name = 'HydraUnavailableError';
    this.reason = reason;
  }
}

/**
 * Hydra has no device authorization flow (v2.x: before v25.4): its admin API has no route for
 * device requests (a 404 "route not found" page, not one of Hydra's JSON errors).
 */
export class DeviceFlowUnsupportedError extends Error {
  constructor() {
    super('this Hydra has no device authorization flow');
    this.name = 'DeviceFlowUnsupportedError';
  }
}
