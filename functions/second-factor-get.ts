import { startSecondFactor, type StartSecondFactorDeps } from '../shared/flows/second-factor-form';
import { formRoute } from '../shared/http/form-route';
import { offeringPasskey } from '../shared/http/passkey-prompt';
import { readPendingSignIn } from '../shared/http/pending-sign-in';
import type { RouteDeps } from '../shared/http/pipeline';
import { secondFactorPage } from '../shared/views/second-factor';
import { startSecondFactorDeps } from '../shared/wiring';

/** GET /login/second-factor?login_challenge=…[&method=recovery|passkey]: the step's form. */
export const secondFactorGet = (deps: StartSecondFactorDeps & RouteDeps) =>
  formRoute(
    'GET',
    'second-factor',
    deps,
    secondFactorPage,
    offeringPasskey(async ({ challenge, request, ready }, deps) => {
      // The pending first step is signed with the cookie secret: read it first.
      await ready;
      return startSecondFactor(
        deps,
        challenge,
        readPendingSignIn(request, deps.web, challenge),
        request.query.choice('method', ['totp', 'recovery', 'passkey'], 'totp'),
      );
    }),
  );

export const handler = secondFactorGet(startSecondFactorDeps());
