/**
 * The sign-in metrics: CloudWatch's Embedded Metric Format on the audit lines themselves (see
 * shared/log.ts). Each outcome of a sign-in, through the real handlers, writes one line that
 * CloudWatch counts in HydraLoginConsent, by Stage, whatever the log level.
 */
import { event, formPost } from '../support/events';
import { formSecrets, invoke, useFakeSite } from '../support/handlers';
import { captureLogs } from '../support/logs';
import { loginRequest } from '../support/payloads';

// Read on the first line this file logs: every test here runs at the quietest level.
const LOG_LEVEL = process.env.LOG_LEVEL;
process.env.LOG_LEVEL = 'error';
afterAll(() => {
  process.env.LOG_LEVEL = LOG_LEVEL;
});

const site = useFakeSite({ throttle: { maxPerAccount: 2 } });
const logs = captureLogs();
const PASSWORD = 'Alice-Passphrase-Orchid-7431';

type Entry = Record<string, unknown>;

/** The metrics CloudWatch would extract from the captured lines, by name. */
function metrics(): Record<
  string,
  { value: unknown; namespace: unknown; dimensions: unknown; stage: unknown }[]
> {
  const found: ReturnType<typeof metrics> = {};
  for (const entry of logs.entries() as Entry[]) {
    const aws = entry._aws as
      | {
          CloudWatchMetrics?: {
            Namespace: string;
            Dimensions: string[][];
            Metrics: { Name: string }[];
          }[];
        }
      | undefined;
    for (const directive of aws?.CloudWatchMetrics ?? []) {
      for (const { Name } of directive.Metrics) {
        (found[Name] ??= []).push({
          value: entry[Name],
          namespace: directive.Namespace,
          dimensions: directive.Dimensions,
          stage: entry.Stage,
        });
      }
    }
  }
  return found;
}

async function signIn(challenge: string, password: string) {
  site().hydra.loginRequests.set(challenge, loginRequest({ challenge }));
  const page = await invoke(
    site().loginGet,
    event({ path: '/login', query: `login_challenge=${challenge}` }),
  );
  const { cookie, token } = formSecrets(page);
  return invoke(
    site().loginPost,
    formPost(
      '/login',
      { challenge, csrf: token, action: 'login', identifier: 'alice@example.com', password },
      { cookies: [cookie] },
    ),
  );
}

beforeEach(async () => {
  await site().users.create({ email: 'alice@example.com', password: PASSWORD, profile: {} });
});

describe('the sign-in metrics', () => {
  it('count a sign-in, a failure and a throttled attempt, once each, in HydraLoginConsent by Stage', async () => {
    expect((await signIn('c-ok', PASSWORD)).statusCode).toBe(303);
    expect((await signIn('c-bad-1', 'wrong')).statusCode).toBe(401);
    expect((await signIn('c-bad-2', 'wrong')).statusCode).toBe(401);
    expect((await signIn('c-bad-3', 'wrong')).statusCode).toBe(429);

    const counted = {
      namespace: 'HydraLoginConsent',
      dimensions: [['Stage']],
      stage: 'local',
      value: 1,
    };
    expect(metrics()).toEqual({
      SignInSucceeded: [counted],
      SignInFailed: [counted, counted],
      SignInThrottled: [counted],
    });
  });

  it('are written at any log level, where the other lines are not', async () => {
    await signIn('c-quiet', 'wrong');

    // LOG_LEVEL=error (above): the info lines of the refusal are not written, its metric is.
    expect(logs.entries().map((entry) => entry.event)).toEqual(['login.failure']);
    expect(Object.keys(metrics())).toEqual(['SignInFailed']);
  });
});
