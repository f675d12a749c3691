/**
 * The adapter is typed by @ory/hydra-client 26.2.0 and also talks to Hydra v2.3.0, which refuses a
 * login or consent accept/reject body with a field it does not know (its handlers decode them
 * with DisallowUnknownFields; v26 no longer does). The lists below are the fields v2.3.0 decodes
 * (flow/consent_types.go at v2.3.0). Each `every*` object names every field of the v26 type: it
 * stops compiling when the type gains or loses one, and the test fails when a field is one
 * v2.3.0 would refuse.
 */
import type {
  AcceptOAuth2ConsentRequest,
  AcceptOAuth2ConsentRequestSession,
  AcceptOAuth2LoginRequest,
  RejectOAuth2Request,
} from '@ory/hydra-client';

const V2_3_0_DECODES = {
  'accept login': [
    'subject',
    'remember',
    'remember_for',
    'extend_session_lifespan',
    'acr',
    'amr',
    'identity_provider_session_id',
    'force_subject_identifier',
    'context',
  ],
  'accept consent': [
    'grant_scope',
    'grant_access_token_audience',
    'session',
    'remember',
    'remember_for',
    'handled_at',
    'context',
  ],
  'consent session claims': ['access_token', 'id_token'],
  reject: ['error', 'error_description', 'error_hint', 'status_code', 'error_debug'],
};

type EveryField<T> = { [K in keyof Required<T>]: true };

const everyAcceptLoginField: EveryField<AcceptOAuth2LoginRequest> = {
  acr: true,
  amr: true,
  context: true,
  extend_session_lifespan: true,
  force_subject_identifier: true,
  identity_provider_session_id: true,
  remember: true,
  remember_for: true,
  subject: true,
};
const everyAcceptConsentField: EveryField<AcceptOAuth2ConsentRequest> = {
  context: true,
  grant_access_token_audience: true,
  grant_scope: true,
  remember: true,
  remember_for: true,
  session: true,
};
const everySessionField: EveryField<AcceptOAuth2ConsentRequestSession> = {
  access_token: true,
  id_token: true,
};
const everyRejectField: EveryField<RejectOAuth2Request> = {
  error: true,
  error_debug: true,
  error_description: true,
  error_hint: true,
  status_code: true,
};

test.each([
  ['accept login', everyAcceptLoginField],
  ['accept consent', everyAcceptConsentField],
  ['consent session claims', everySessionField],
  ['reject', everyRejectField],
] as const)(
  'every field of the %s body typed by @ory/hydra-client 26.2.0 is one Hydra v2.3.0 accepts',
  (body, fields) => {
    const decoded: readonly string[] = V2_3_0_DECODES[body];
    expect(Object.keys(fields).filter((field) => !decoded.includes(field))).toEqual([]);
  },
);
