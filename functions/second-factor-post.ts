import { submitSecondFactor, type SecondFactorDeps } from '../shared/flows/second-factor';
import { readDevice } from '../shared/http/device-cookie';
import { formRoute } from '../shared/http/form-route';
import { offeringPasskey } from '../shared/http/passkey-prompt';
import { readPendingSignIn } from '../shared/http/pending-sign-in';
import type { RouteDeps } from '../shared/http/pipeline';
import { secondFactorPage } from '../shared/views/second-factor';
import { secondFactorDeps } from '../shared/wiring';

/** POST /login/second-factor: the code (or cancel), for the pending sign-in of the challenge. */
export const secondFactorPost = (deps: SecondFactorDeps & RouteDeps) =>
  formRoute(
    'POST',
    'second-factor',
    deps,
    secondFactorPage,
    offeringPasskey(({ challenge, form, request }, deps) =>
      submitSecondFactor(deps, challenge, {
        action: form.choice('action', ['verify', 'cancel'], 'verify'),
        method: form.choice('method', ['totp', 'recovery'], 'totp'),
        code: form.one('code') ?? '',
        pending: readPendingSignIn(request, deps.web, challenge),
        sourceIp: request.sourceIp,
        device: readDevice(request, deps.web),
      }),
    ),
  );

export const handler = secondFactorPost(secondFactorDeps());
