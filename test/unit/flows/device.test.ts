import {
  normalizeUserCode,
  startDevice,
  submitDevice,
  WRONG_USER_CODE,
  type DeviceDeps,
} from '../../../shared/flows/device';
import { USER_CODE_PRESETS } from '../../../shared/config';
import { DeviceFlowUnsupportedError } from '../../../shared/hydra/errors';
import { createUserCodeThrottle } from '../../../shared/throttle/user-codes';
import { FakeHydra, HYDRA_PUBLIC, InMemoryCounters } from '../support/fakes';
import { captureLogs } from '../support/logs';

const CHALLENGE = 'device-challenge-1';
const CODE = 'WDJBMJHT';
const { high: HIGH, medium: MEDIUM, low: LOW } = USER_CODE_PRESETS;

const logs = captureLogs();

function setup(options: { maxPerChallenge?: number; maxPerIp?: number } = {}) {
  const hydra = new FakeHydra();
  hydra.deviceChallenges.add(CHALLENGE);
  hydra.userCodes.set(CODE, 'unused');
  const counters = new InMemoryCounters();
  const throttle = createUserCodeThrottle(counters, {
    windowSeconds: 900,
    maxPerIp: options.maxPerIp ?? 20,
    maxPerChallenge: options.maxPerChallenge ?? 5,
  });
  const deps: DeviceDeps = { hydra, throttle, userCodeCharacters: MEDIUM };
  const submit = (userCode: string, sourceIp = '203.0.113.7', challenge = CHALLENGE) =>
    submitDevice(deps, challenge, { userCode, sourceIp });
  return { hydra, counters, deps, submit };
}

describe('normalizeUserCode', () => {
  it.each([
    ['WDJBMJHT', 'WDJBMJHT'],
    ['wdjbmjht', 'WDJBMJHT'],
    ['WDJB-MJHT', 'WDJBMJHT'],
    [' wdjb mjht ', 'WDJBMJHT'],
    ['wdjb – mjht', 'WDJBMJHT'],
    ['ＷＤＪＢＭＪＨＴ', 'WDJBMJHT'],
  ])('forgives case, spaces and dashes for an upper-case set (medium): %j → %s', (typed, code) => {
    expect(normalizeUserCode(typed, MEDIUM)).toBe(code);
  });

  it("keeps the case of a letter Hydra's set has in both cases (high: Hydra's default)", () => {
    expect(normalizeUserCode('GnifwQkN', HIGH)).toBe('GnifwQkN');
    expect(normalizeUserCode('gnifwqkn', HIGH)).toBe('gnifwqkn');
  });

  it('puts a letter the set has in one case only into that case (high has b, not B; L, not l)', () => {
    expect(normalizeUserCode('Bl-79', HIGH)).toBe('bL79');
  });

  it('takes digits with separators for a numeric set (low)', () => {
    expect(normalizeUserCode('123 456-789', LOW)).toBe('123456789');
  });

  it.each([
    ['', 'nothing'],
    ['  - ', 'only separators'],
    ['WDJB1MJHT', 'a digit, not in A–Z'],
    ['WDJB_MJHT', 'punctuation'],
    ['W'.repeat(65), 'longer than any code'],
  ])('refuses %j (%s): it cannot be one of Hydra’s codes', (typed) => {
    expect(normalizeUserCode(typed, MEDIUM)).toBeUndefined();
  });
});

describe('GET /device (startDevice)', () => {
  it('prefills the code Hydra passed, as Hydra would read it', () => {
    expect(startDevice({ userCodeCharacters: MEDIUM }, 'wdjb-mjht')).toEqual({
      kind: 'show',
      view: { userCode: 'WDJBMJHT' },
    });
  });

  it('shows an empty field without a code, or for a code Hydra cannot have made', () => {
    for (const userCode of [undefined, '', '<script>', 'x'.repeat(500)]) {
      expect(startDevice({ userCodeCharacters: MEDIUM }, userCode)).toEqual({
        kind: 'show',
        view: { userCode: '' },
      });
    }
  });
});

describe('POST /device (submitDevice)', () => {
  it('gives Hydra the normalized code and follows it on to the login', async () => {
    const { hydra, submit } = setup();

    const outcome = await submit('wdjb-mjht');

    expect(outcome).toEqual({
      kind: 'redirect',
      to: `${HYDRA_PUBLIC}/oauth2/auth?device_verifier=accept-${CHALLENGE}`,
    });
    expect(hydra.decisions).toEqual([
      { kind: 'device', decision: 'accept', challenge: CHALLENGE, body: { user_code: CODE } },
    ]);
  });

  it('gives the attempt back when Hydra accepts the code: the counters count failures', async () => {
    const { counters, submit } = setup();

    await submit(CODE);

    expect(counters.countOf('code-ip')).toBe(0);
    expect(counters.countOf('code-challenge')).toBe(0);
  });

  it.each([
    ['a mistyped', 'WDJBMJHX', undefined],
    ['an expired', CODE, 'expired' as const],
    ['an already used', CODE, 'used' as const],
  ])(
    'refuses %s code with the form again and its one message, and counts it',
    async (_case, typed, state) => {
      const { hydra, counters, submit } = setup();
      if (state) hydra.userCodes.set(CODE, state);

      const outcome = await submit(typed);

      expect(outcome).toEqual({
        kind: 'refused',
        refusal: { reason: 'wrong-code' },
        view: { userCode: typed, error: WRONG_USER_CODE },
      });
      expect(hydra.decisions).toEqual([]);
      expect(counters.countOf('code-ip')).toBe(1);
      expect(counters.countOf('code-challenge')).toBe(1);
    },
  );

  it('refuses a code that cannot be one of Hydra’s without asking Hydra or counting it', async () => {
    const { hydra, counters, submit } = setup();

    const outcome = await submit('WDJB_MJHT');

    expect(outcome).toMatchObject({ kind: 'refused', refusal: { reason: 'wrong-code' } });
    expect(hydra.calls).toEqual([]);
    expect(counters.calls).toEqual([]);
  });

  it('stops guessing per challenge before Hydra is asked, even for the right code', async () => {
    const { hydra, submit } = setup({ maxPerChallenge: 3 });
    for (const guess of ['AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC']) {
      expect(await submit(guess, `198.51.100.${guess.charCodeAt(0)}`)).toMatchObject({
        kind: 'refused',
        refusal: { reason: 'wrong-code' },
      });
    }
    hydra.calls.length = 0;

    const outcome = await submit(CODE, '198.51.100.99');

    expect(outcome).toMatchObject({
      kind: 'refused',
      refusal: { reason: 'throttled' },
      view: { userCode: CODE, error: { key: 'page.device.throttled' } },
    });
    expect(hydra.calls).toEqual([]);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ event: 'device.code_throttled', limitedBy: 'challenge' }),
    );
  });

  it('stops guessing per source IP across challenges before Hydra is asked', async () => {
    const { hydra, submit } = setup({ maxPerIp: 2 });
    for (const challenge of ['other-1', 'other-2']) {
      hydra.deviceChallenges.add(challenge);
      await submit('AAAAAAAA', '203.0.113.9', challenge);
    }
    hydra.calls.length = 0;

    const outcome = await submit(CODE, '203.0.113.9');

    expect(outcome).toMatchObject({ kind: 'refused', refusal: { reason: 'throttled' } });
    expect(hydra.calls).toEqual([]);
    // Another address is not held to that one's count.
    expect(await submit(CODE, '203.0.113.10')).toMatchObject({ kind: 'redirect' });
  });

  it('lets the error pages answer a Hydra without a device flow', async () => {
    const { hydra, submit } = setup();
    hydra.withoutDeviceFlow = true;

    await expect(submit(CODE)).rejects.toBeInstanceOf(DeviceFlowUnsupportedError);
  });

  it('never logs the code or the challenge', async () => {
    const { submit } = setup();
    await submit('WDJBMJHX');
    await submit(CODE);

    const lines = logs.lines.join('\n');
    expect(lines).not.toContain('WDJBMJH');
    expect(lines).not.toContain(CHALLENGE);
  });
});
