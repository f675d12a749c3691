/**
 * A bench run lasts as long as its rounds take (tens of minutes with the default counts): each
 * path's event must still be good for the run it is made for, not only for the first.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { benchUser, scenarios, type Scenario } from '../../../scripts/lib/bench/fixtures';
import { isFreshSignIn } from '../../../shared/flows/authenticator';
import { accountSessionCookieName, readAccountSession } from '../../../shared/http/account-cookies';
import { parseRequest } from '../../../shared/http/request';

const COOKIE_SECRET = 'bench-cookie-secret-0123456789abcdef';
const SESSION_COOKIE = `${accountSessionCookieName(false)}=`;

const eventOfRun = (path: Scenario): APIGatewayProxyEventV2 =>
  path.freshEvent ? path.freshEvent() : path.event;

const carriesAccountSession = (event: APIGatewayProxyEventV2) =>
  (event.cookies ?? []).some((cookie) => cookie.startsWith(SESSION_COOKIE));

afterEach(() => jest.restoreAllMocks());

it("gives each account path a fresh sign-in in a run two hours after the bench's start", () => {
  const start = Date.now();
  const paths = scenarios(benchUser('$argon2id$bench-hash'), COOKIE_SECRET);
  const later = start + 2 * 3600 * 1000;
  jest.spyOn(Date, 'now').mockReturnValue(later);

  const withSession = paths.filter((path) => carriesAccountSession(path.event));
  expect(withSession.map((path) => path.functionName)).toEqual(
    expect.arrayContaining([
      'account-get',
      'account-post',
      'account-passkey-post',
      'account-authenticator-get',
      'account-authenticator-post',
    ]),
  );
  const stale = withSession
    .filter((path) => {
      const event = eventOfRun(path);
      const method = event.requestContext.http.method === 'POST' ? 'POST' : 'GET';
      const session = readAccountSession(parseRequest(event, method), {
        secret: COOKIE_SECRET,
        secure: false,
        sessionSeconds: 3600,
      });
      return !session || !isFreshSignIn(session, Math.floor(later / 1000));
    })
    .map((path) => path.key);
  expect(stale).toEqual([]);
});
