import {
  startEnrolment,
  submitEnrolment,
  type EnrolmentView,
} from '../../../shared/flows/enrolment';
import type { Outcome } from '../../../shared/flows/outcome';
import { factorKeyRing, open } from '../../../shared/users/factor-keys';
import { TOTP_PERIOD_SECONDS, totpCode } from '../../../shared/users/totp';
import { InMemoryFactorStore } from '../support/fakes';

const KEYS = factorKeyRing({ current: Buffer.alloc(32, 5), previous: [] });
const ALICE = { id: 'user-alice', email: 'alice@example.com' };
const BOB = { id: 'user-bob', email: 'bob@example.com' };

function setup() {
  const factors = new InMemoryFactorStore();
  return { factors, deps: { factors, factorKeys: KEYS, issuer: 'Example' } };
}

function scan(outcome: Outcome<EnrolmentView>) {
  if (outcome.kind === 'redirect' || outcome.view.page !== 'scan')
    throw new Error('expected the scan page');
  return outcome.view;
}

const codeNow = (secret: string) =>
  totpCode(secret, Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS));

describe('enrolling an authenticator app on a page', () => {
  it('shows a new secret, as an otpauth URI and as text, sealed for the user in the form; stores nothing', () => {
    const { deps, factors } = setup();

    const view = scan(startEnrolment(deps, ALICE));

    expect(view.uri).toMatch(/^otpauth:\/\/totp\/Example:alice%40example\.com\?/);
    expect(view.uri).toContain(`secret=${view.secret}`);
    expect(view.sealed).not.toContain(view.secret);
    expect(open(KEYS, ALICE.id, view.sealed)?.plaintext).toBe(view.secret);
    expect(factors.factors.size).toBe(0);
  });

  it("the app's first code turns it on and shows 10 recovery codes, once; the code's step is used", async () => {
    const { deps, factors } = setup();
    const { secret, sealed } = scan(startEnrolment(deps, ALICE));

    const done = await submitEnrolment(deps, ALICE, { sealed, code: codeNow(secret) });

    expect(done).toMatchObject({ kind: 'show', view: { page: 'done' } });
    const codes = done.kind === 'show' && done.view.page === 'done' ? done.view.recoveryCodes : [];
    expect(codes).toHaveLength(10);
    const stored = factors.factors.get(ALICE.id);
    expect(stored?.totp?.lastStep).toBe(Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS));
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(codes[0]?.replace('-', ''));
  });

  it('a wrong code shows the same secret again, saying so, and stores nothing', async () => {
    const { deps, factors } = setup();
    const { secret, sealed } = scan(startEnrolment(deps, ALICE));

    const again = await submitEnrolment(deps, ALICE, { sealed, code: '12345' });

    expect(again).toMatchObject({
      kind: 'refused',
      view: { page: 'scan', secret, error: { key: 'page.enrol.wrongCode' } },
    });
    expect(factors.factors.size).toBe(0);
  });

  it("another user's form cannot be confirmed: a new secret instead", async () => {
    const { deps, factors } = setup();
    const { secret, sealed } = scan(startEnrolment(deps, BOB));

    const outcome = await submitEnrolment(deps, ALICE, { sealed, code: codeNow(secret) });

    expect(scan(outcome).secret).not.toBe(secret);
    expect(factors.factors.size).toBe(0);
  });
});
