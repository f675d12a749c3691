import { requestVerificationMail, type SendVerificationDeps } from '../shared/flows/verification';
import type { RouteDeps } from '../shared/http/pipeline';
import { LOGIN_CHALLENGE, selfServiceRoute } from '../shared/http/self-service-route';
import { verificationSentPage } from '../shared/views/self-service';
import { sendVerificationDeps, type Offered } from '../shared/wiring';

/**
 * POST /verify/send: the sign-in's verification step (REQUIRE_VERIFIED_EMAIL) mails its link.
 * A form of the sign-in: its CSRF token is the sign-in form's (purpose `login`, this challenge).
 */
export const verifySend = (deps: SendVerificationDeps & RouteDeps & Offered) =>
  selfServiceRoute(deps, {
    method: 'POST',
    purpose: 'login',
    binding: LOGIN_CHALLENGE,
    offered: (deps) => deps.offered,
    page: verificationSentPage,
    handle: ({ bound, form, request, locale }, deps) =>
      requestVerificationMail(deps, {
        step: form.one('step') ?? '',
        loginChallenge: bound,
        sourceIp: request.sourceIp,
        locale,
      }),
  });

export const handler = verifySend(sendVerificationDeps());
