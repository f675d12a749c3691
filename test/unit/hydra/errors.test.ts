import { HydraUnavailableError, type HydraFailure } from '../../../shared/hydra/errors';

describe('HydraUnavailableError says what failed in a sentence', () => {
  it.each<[HydraFailure, number | undefined, string]>([
    [
      'timeout',
      undefined,
      "Could not revoke consent sessions: Hydra's admin API did not answer in time.",
    ],
    [
      'network',
      undefined,
      "Could not revoke consent sessions: Hydra's admin API could not be reached (network error).",
    ],
    [
      'server',
      503,
      "Could not revoke consent sessions: Hydra's admin API answered with a server error (HTTP 503).",
    ],
    [
      'unexpected',
      418,
      "Could not revoke consent sessions: Hydra's admin API answered HTTP 418, which is not an answer we expect.",
    ],
    [
      'unexpected',
      undefined,
      "Could not revoke consent sessions: Hydra's admin API gave an answer that cannot be used.",
    ],
  ])('%s (HTTP %s)', (failure, status, sentence) => {
    const error = new HydraUnavailableError(failure, 'revoke consent sessions', status);

    expect(error.message).toBe(sentence);
    // The half a caller uses when it says itself what it was doing.
    expect(sentence).toBe(`Could not revoke consent sessions: ${error.reason}.`);
    expect(error).toMatchObject({ failure, operation: 'revoke consent sessions', status });
  });
});
