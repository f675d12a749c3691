/**
 * Set-up of every unit test file (jest.config.cjs): the Hydra adapter's default transport.
 *
 * The adapter sends over node:http (shared/hydra/transport.ts), not the global `fetch`; but many
 * unit tests drive the real handlers with Hydra played by a stub installed as `globalThis.fetch`
 * (support/hydra-http.ts, support/hydra-scenario.ts, the fuzz tests). Here the default transport
 * sends each call through `globalThis.fetch` (wrapped by the adapter's own fetchTransport) while a
 * test has replaced it, and through the real node:http transport otherwise: the tests with real
 * sockets (adapters/, faults/, hydra/) run the transport deployed functions use.
 */
import type * as Transport from '../../../shared/hydra/transport';

const platformFetch = globalThis.fetch;

jest.mock('../../../shared/hydra/transport', () => {
  const actual = jest.requireActual<typeof Transport>('../../../shared/hydra/transport');
  const viaStub = actual.fetchTransport((input, init) => globalThis.fetch(input, init));
  return {
    ...actual,
    defaultTransport: (): Transport.HydraTransport => {
      const real = actual.defaultTransport();
      return (url, init) => (globalThis.fetch === platformFetch ? real : viaStub)(url, init);
    },
  };
});
