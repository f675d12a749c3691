/**
 * Account enumeration by timing: "no such user", "wrong password" and "disabled user with the
 * right password" must cost the same, because an unknown user gets a dummy argon2id verify and a
 * disabled user is verified in full before being refused. Measured with the REAL argon2id hasher
 * at the configured parameters (shared/users/password.ts) and in-memory ports.
 *
 * Robust on a small, busy machine: the three cases are interleaved (each round runs all three, in
 * a rotating order, so load bursts hit them alike), compared by medians (within 15%) and by a
 * two-sided Mann–Whitney U test (not significant at p < 0.001), and a noisy batch is measured
 * again (three batches at most). A missing dummy verify makes "no such user" ~100 times faster:
 * every batch fails, by far.
 */
import { loadArgon2Parameters } from '../../../shared/config';
import { INVALID_CREDENTIALS, submitLogin, type LoginDeps } from '../../../shared/flows/login';
import { createLoginThrottle } from '../../../shared/throttle/throttle';
import { createPasswordHasher } from '../../../shared/users/password';
import { createIdentifierTags } from '../../../shared/users/tags';
import {
  FakeHydra,
  FakePasswordHasher,
  InMemoryCounters,
  InMemoryFactorStore,
  InMemoryLoginSessions,
  InMemoryUserStore,
} from '../support/fakes';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';
import { mannWhitneyU, median } from '../support/timing-stats';

captureLogs();

const CHALLENGE = 'login-challenge-timing-0123456789';
const SAMPLES = 30;
const WARM_UP = 3;
const BATCHES = 3;
const MAX_MEDIAN_SPREAD = 0.15;
const ALPHA = 0.001;

const ALICE_PASSWORD = 'alice-right-password-123';
const BOB_PASSWORD = 'bob-right-password-45678';
const WRONG_PASSWORD = 'not-the-password-9876543';

async function setup(): Promise<LoginDeps> {
  const passwords = createPasswordHasher(loadArgon2Parameters(process.env));
  const users = new InMemoryUserStore(new FakePasswordHasher());
  for (const [email, password, enabled] of [
    ['alice@example.com', ALICE_PASSWORD, true],
    ['bob@example.com', BOB_PASSWORD, false],
  ] as const) {
    const user = users.add({ email, password, enabled });
    users.users.set(user.id, { ...user, passwordHash: await passwords.hash(password) });
  }
  const hydra = new FakeHydra();
  hydra.loginRequests.set(CHALLENGE, loginRequest({ challenge: CHALLENGE }));
  return {
    hydra,
    users,
    passwords,
    // No throttling here: every attempt must reach the password check.
    throttle: createLoginThrottle(new InMemoryCounters(), {
      windowSeconds: 900,
      maxPerAccount: 1_000_000,
      maxPerIp: 1_000_000,
      maxPerAccountTotal: 1_000_000,
    }),
    loginSessions: new InMemoryLoginSessions(),
    factors: new InMemoryFactorStore(),
    tags: createIdentifierTags('timing-test-tag-secret-0123456789abcdef'),
    rememberForSeconds: 3600,
    browserSessionMaxSeconds: 3600,
    acrLevels: { password: 'aal1', secondFactor: 'aal2' },
    accessTokenClaims: [],
  };
}

const CASES = {
  'no such user': { identifier: 'nobody@example.com', password: WRONG_PASSWORD },
  'wrong password': { identifier: 'alice@example.com', password: WRONG_PASSWORD },
  'disabled user, right password': { identifier: 'bob@example.com', password: BOB_PASSWORD },
};
type CaseName = keyof typeof CASES;
const NAMES = Object.keys(CASES) as CaseName[];

function attempt(deps: LoginDeps, name: CaseName) {
  return submitLogin(deps, CHALLENGE, {
    action: 'login',
    ...CASES[name],
    remember: false,
    sourceIp: '203.0.113.7',
    device: undefined,
  });
}

async function timed(deps: LoginDeps, name: CaseName): Promise<number> {
  const start = process.hrtime.bigint();
  await attempt(deps, name);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Batch {
  samples: Record<CaseName, number[]>;
  medians: Record<CaseName, number>;
  spread: number;
  pValues: Record<string, number>;
  indistinguishable: boolean;
}

async function measure(deps: LoginDeps): Promise<Batch> {
  const samples = Object.fromEntries(NAMES.map((name) => [name, [] as number[]])) as Record<
    CaseName,
    number[]
  >;
  for (let round = 0; round < WARM_UP + SAMPLES; round += 1) {
    // Rotate the order every round: no case always runs first (or right after a slow one).
    for (let i = 0; i < NAMES.length; i += 1) {
      const name = NAMES[(round + i) % NAMES.length]!;
      const elapsed = await timed(deps, name);
      if (round >= WARM_UP) samples[name].push(elapsed);
    }
  }
  const medians = Object.fromEntries(NAMES.map((name) => [name, median(samples[name])])) as Record<
    CaseName,
    number
  >;
  const values = Object.values(medians);
  const spread = (Math.max(...values) - Math.min(...values)) / Math.min(...values);
  const pValues: Record<string, number> = {};
  for (let i = 0; i < NAMES.length; i += 1) {
    for (let j = i + 1; j < NAMES.length; j += 1) {
      pValues[`${NAMES[i]} vs ${NAMES[j]}`] = mannWhitneyU(samples[NAMES[i]!], samples[NAMES[j]!]);
    }
  }
  const indistinguishable =
    spread <= MAX_MEDIAN_SPREAD && Object.values(pValues).every((p) => p >= ALPHA);
  return { samples, medians, spread, pValues, indistinguishable };
}

function describeBatch(batch: Batch): string {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  return [
    ...NAMES.map((name) => `  ${name}: median ${ms(batch.medians[name])}`),
    `  median spread ${(batch.spread * 100).toFixed(1)}% (max ${MAX_MEDIAN_SPREAD * 100}%)`,
    ...Object.entries(batch.pValues).map(
      ([pair, p]) => `  Mann–Whitney ${pair}: p = ${p.toExponential(2)}`,
    ),
  ].join('\n');
}

describe('sign-in failures cannot be told apart by timing (real argon2id)', () => {
  let deps: LoginDeps;

  beforeAll(async () => {
    deps = await setup();
  });

  it('answers every failure with the same refusal and message', async () => {
    const outcomes = [];
    for (const name of NAMES) outcomes.push(await attempt(deps, name));

    const comparable = outcomes.map((outcome) => {
      if (outcome.kind !== 'refused') throw new Error(`expected a refusal, got ${outcome.kind}`);
      const { identifier: _typed, ...view } = outcome.view;
      return { refusal: outcome.refusal, view };
    });
    expect(comparable[0]?.refusal).toEqual({ reason: 'wrong-credentials' });
    expect(comparable[0]?.view.error).toBe(INVALID_CREDENTIALS);
    expect(comparable[1]).toEqual(comparable[0]);
    expect(comparable[2]).toEqual(comparable[0]);
  });

  it('the statistics tell a real difference from noise', () => {
    const same = Array.from({ length: 25 }, (_, i) => 8 + ((i * 7) % 5) * 0.1);
    const shuffled = [...same].reverse();
    const fast = same.map((value) => value / 50);
    expect(mannWhitneyU(same, shuffled)).toBeGreaterThan(0.5);
    expect(mannWhitneyU(same, fast)).toBeLessThan(ALPHA);
  });

  it('takes the same time for no such user, a wrong password and a disabled user', async () => {
    const reports: string[] = [];
    let passed = false;
    for (let batch = 1; batch <= BATCHES && !passed; batch += 1) {
      const result = await measure(deps);
      reports.push(`batch ${batch}:\n${describeBatch(result)}`);
      passed = result.indistinguishable;
    }
    if (process.env.TIMING_REPORT) console.log(reports.join('\n'));
    if (!passed) {
      throw new Error(`the failures can be told apart by their timing:\n${reports.join('\n')}`);
    }
  }, 120_000);
});
