/**
 * Account enumeration by timing on "forgot password": an address with an account costs a token
 * write and an SES call, one without (or a disabled one) costs neither, so every answer is held
 * until MAIL_MIN_RESPONSE_MS after the request began (shared/flows/email-links.ts `equalised`).
 * Measured with real time: a mailer that takes as long as an SES call (40 ms here) and in-memory
 * tables, interleaved rounds compared by medians (within 15%) and a Mann–Whitney U test (not
 * significant at p < 0.001), as the sign-in's timing test does. Without the floor the same
 * measurement tells the cases apart at once: the last test proves the test can fail.
 */
import { requestRecovery, type RecoveryDeps } from '../../../shared/flows/recovery';
import { createMailThrottle } from '../../../shared/throttle/mail';
import { createIdentifierTags } from '../../../shared/users/tags';
import {
  FakePasswordHasher,
  InMemoryCounters,
  InMemoryEmailTokens,
  InMemoryUserStore,
  RecordingMailer,
} from '../support/fakes';
import { captureLogs } from '../support/logs';
import { mannWhitneyU, median } from '../support/timing-stats';

captureLogs();

const SES_MS = 40;
const FLOOR_MS = 150;
const SAMPLES = 25;
const WARM_UP = 2;
const BATCHES = 3;
const MAX_MEDIAN_SPREAD = 0.15;
const ALPHA = 0.001;

const CASES = {
  'an account': 'alice@example.com',
  'no account': 'nobody@example.com',
  'a disabled account': 'bob@example.com',
} as const;
type CaseName = keyof typeof CASES;
const NAMES = Object.keys(CASES) as CaseName[];

/** A mailer as slow as an SES call. */
class SlowMailer extends RecordingMailer {
  override async send(...args: Parameters<RecordingMailer['send']>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, SES_MS));
    await super.send(...args);
  }
}

function setup(minResponseMs: number): RecoveryDeps & { mailer: SlowMailer } {
  const users = new InMemoryUserStore(new FakePasswordHasher());
  users.add({ email: 'alice@example.com', password: 'alice password 1' });
  users.add({ email: 'bob@example.com', password: 'bob password 12', enabled: false });
  return {
    users,
    tokens: new InMemoryEmailTokens(),
    mailer: new SlowMailer(),
    // No throttling here: every request must reach the lookup.
    mailThrottle: createMailThrottle(new InMemoryCounters(), {
      windowSeconds: 900,
      maxPerAddress: 1_000_000,
      maxPerIp: 1_000_000,
    }),
    tags: createIdentifierTags('timing-test-tag-secret-0123456789abcdef'),
    links: { publicUrl: 'https://login.example', ttlSeconds: 3600 },
    minResponseMs,
  };
}

async function timed(deps: RecoveryDeps, name: CaseName): Promise<number> {
  const start = process.hrtime.bigint();
  await requestRecovery(deps, {
    email: CASES[name],
    loginChallenge: undefined,
    sourceIp: '203.0.113.7',
    locale: 'en',
  });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function measure(deps: RecoveryDeps) {
  const samples = Object.fromEntries(NAMES.map((name) => [name, [] as number[]])) as Record<
    CaseName,
    number[]
  >;
  for (let round = 0; round < WARM_UP + SAMPLES; round += 1) {
    for (let i = 0; i < NAMES.length; i += 1) {
      const name = NAMES[(round + i) % NAMES.length]!;
      const elapsed = await timed(deps, name);
      if (round >= WARM_UP) samples[name].push(elapsed);
    }
  }
  const medians = NAMES.map((name) => median(samples[name]));
  const spread = (Math.max(...medians) - Math.min(...medians)) / Math.min(...medians);
  const pValues = NAMES.flatMap((a, i) =>
    NAMES.slice(i + 1).map((b) => mannWhitneyU(samples[a], samples[b])),
  );
  const report = `medians ${medians.map((ms) => ms.toFixed(1)).join(' / ')} ms, spread ${(spread * 100).toFixed(1)}%, p ${pValues.map((p) => p.toExponential(1)).join(' ')}`;
  return {
    indistinguishable: spread <= MAX_MEDIAN_SPREAD && pValues.every((p) => p >= ALPHA),
    report,
  };
}

async function indistinguishable(
  deps: RecoveryDeps,
): Promise<{ passed: boolean; reports: string[] }> {
  const reports: string[] = [];
  for (let batch = 1; batch <= BATCHES; batch += 1) {
    const result = await measure(deps);
    reports.push(`batch ${batch}: ${result.report}`);
    if (result.indistinguishable) return { passed: true, reports };
  }
  return { passed: false, reports };
}

describe('"forgot password" cannot tell an address with an account by timing', () => {
  it('answers every address with the same page, and mails only the account', async () => {
    const deps = setup(FLOOR_MS);
    const outcomes: unknown[] = [];
    for (const name of NAMES)
      outcomes.push(
        await requestRecovery(deps, {
          email: CASES[name],
          loginChallenge: undefined,
          sourceIp: '203.0.113.7',
          locale: 'en',
        }),
      );
    // The page repeats only the address typed (for "Send it again"): otherwise the same.
    const typed = (outcome: unknown, email: string): string =>
      JSON.stringify(outcome).replaceAll(JSON.stringify(email), '"<typed>"');
    const pages = NAMES.map((name, i) => typed(outcomes[i], CASES[name]));
    expect(pages[0]).toContain('"<typed>"');
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[2]).toEqual(pages[0]);
    expect(deps.mailer.sent.map((sent) => sent.to)).toEqual(['alice@example.com']);
  });

  it('takes the same time for an account, no account and a disabled account', async () => {
    const { passed, reports } = await indistinguishable(setup(FLOOR_MS));
    if (process.env.TIMING_REPORT) console.log(reports.join('\n'));
    if (!passed) throw new Error(`the cases can be told apart:\n${reports.join('\n')}`);
  }, 120_000);

  it('without the floor, the same measurement tells an account apart', async () => {
    const { passed, reports } = await indistinguishable(setup(0));
    expect([passed, reports.length]).toEqual([false, BATCHES]);
  }, 120_000);
});
