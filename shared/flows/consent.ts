/**
 * The consent decisions. A grant is always requested ∩ chosen (scopes and audiences): Hydra does
 * not enforce that itself, so hidden fields or a forged POST can never widen it.
 */
import { isRecord } from '../brand/brand';
import type { HydraAdmin, OAuth2ConsentRequest, OAuth2ConsentSession } from '../hydra/admin';
import type { MessageKey } from '../i18n/messages';
import { audit } from '../log';
import { idTokenClaims, readLoginContext } from './claims';
import { clientView, uiLocalesOf, type ClientView } from './client';
import { freshSignInUrl, promptsOf, requestAgainWithPrompt } from './fresh-sign-in';
import { redirect, show, type Outcome } from './outcome';

export interface ConsentDeps {
  hydra: HydraAdmin;
  /** "Remember this decision" (CONSENT_REMEMBER_FOR; 0 = forever). */
  rememberForSeconds: number;
  /** "Keep me signed in" (LOGIN_REMEMBER_FOR): how long a first-party consent is remembered. */
  loginRememberForSeconds: number;
  now?: () => number;
}

export interface ScopeView {
  name: string;
  /** The catalog message that describes it; none for a scope we do not know. */
  description: MessageKey | undefined;
  /** Shown ticked and disabled: granting is not optional (openid). */
  required: boolean;
}

export interface ConsentForm {
  client: ClientView;
  userName: string;
  scopes: ScopeView[];
  audiences: string[];
  /** The languages the application asked for (Hydra's `oidc_context.ui_locales`). */
  uiLocales?: readonly string[];
  /** The user's `locale` claim (from the login context): the page's language after `ui_locales`. */
  userLocale?: string;
  /**
   * "Not you? Use another account": the client's authorization request again, at Hydra (its
   * `request_url` from the admin API), with `prompt=login`; none when it cannot be followed.
   */
  switchAccountUrl?: string | undefined;
}

export type ConsentOutcome = Outcome<ConsentForm>;

/** Scopes the user cannot untick when they were requested. */
const REQUIRED_SCOPES = new Set(['openid']);

/** The catalog message that describes each standard scope (shared/i18n). */
export const SCOPE_DESCRIPTIONS: Record<string, MessageKey> = {
  openid: 'scope.openid',
  profile: 'scope.profile',
  email: 'scope.email',
  phone: 'scope.phone',
  address: 'scope.address',
  offline_access: 'scope.offline_access',
};

interface Grant {
  scopes: string[];
  audiences: string[];
  /** Remembered for this long; none: not remembered. */
  rememberForSeconds?: number;
}

/**
 * How long a first-party client's automatic consent is remembered. Hydra answers `prompt=none`
 * (and an `id_token_hint`) with `consent_required` unless it holds a remembered consent, so
 * silent sign-in needs one; it is needed only while a sign-in can last, so it lasts as long as
 * "keep me signed in" (LOGIN_REMEMBER_FOR), never for ever (consent's 0). Every first-party
 * sign-in remembers it again. Revoking the user's consents (disable, password change, sign out
 * everywhere) drops it: the next silent attempt answers `consent_required` and the next
 * interactive one remembers it again.
 */
export function firstPartyRememberFor(deps: ConsentDeps): number {
  // Never 0 (Hydra's "for ever"): the configuration refuses a LOGIN_REMEMBER_FOR under 60 s.
  return deps.loginRememberForSeconds;
}

/**
 * The key in Hydra's consent context that marks a consent given without asking, because the
 * client was first-party then (see firstPartyContext).
 */
const GIVEN_AS_FIRST_PARTY = 'givenAsFirstParty';

/**
 * The context a first-party consent is accepted with: the login context, marked. Hydra keeps one
 * context per flow (the consent's replaces the login's) and lists it with the consent session,
 * so a remembered consent says whether the user chose it or a first-party client was given it.
 */
function firstPartyContext(loginContext: unknown): Record<string, unknown> {
  return { ...(isRecord(loginContext) ? loginContext : {}), [GIVEN_AS_FIRST_PARTY]: true };
}

/** Whether a consent session was given without asking, to a client that was first-party then. */
export function givenAsFirstParty(session: OAuth2ConsentSession): boolean {
  const context: unknown = session.context;
  return isRecord(context) && context[GIVEN_AS_FIRST_PARTY] === true;
}

async function accept(
  deps: ConsentDeps,
  challenge: string,
  request: OAuth2ConsentRequest,
  grant: Grant,
  options: { firstParty?: boolean } = {},
): Promise<string> {
  const context = readLoginContext(request.context);
  const remember = grant.rememberForSeconds !== undefined;
  const to = await deps.hydra.acceptConsentRequest(challenge, {
    grant_scope: grant.scopes,
    grant_access_token_audience: grant.audiences,
    remember,
    remember_for: grant.rememberForSeconds,
    ...(options.firstParty === true ? { context: firstPartyContext(request.context) } : {}),
    // Set on every accept, the skip path included: Hydra does not carry claims over.
    session: {
      id_token: idTokenClaims(context, grant.scopes),
      access_token: context?.accessTokenClaims ?? {},
    },
  });
  audit('consent.granted', {
    subject: request.subject,
    client: request.client?.client_id,
    scopes: grant.scopes,
    audiences: grant.audiences,
    remember,
  });
  return to;
}

/**
 * Whether Hydra's `skip` may be trusted for this request. Hydra's consent `skip` compares scopes
 * only, and would let a client the user allowed before add a new audience without asking; and it
 * counts the consents a first-party client was given without asking, which would let a client
 * made third-party since skip the question it now must ask. Skip only when one consent session
 * of this client that the user chose to remember (`remember: true`, not given as first-party) and
 * that has not expired granted every requested scope and every requested audience.
 */
async function rememberedConsentCovers(
  deps: ConsentDeps,
  request: OAuth2ConsentRequest,
  scopes: readonly string[],
  audiences: readonly string[],
): Promise<boolean> {
  const clientId = request.client?.client_id;
  if (!request.subject || !clientId) return false;
  const nowMs = deps.now?.() ?? Date.now();
  return (await deps.hydra.listConsentSessions(request.subject)).some(
    (session) =>
      session.consent_request?.client?.client_id === clientId &&
      session.remember === true &&
      !givenAsFirstParty(session) &&
      !rememberedConsentExpired(session, nowMs) &&
      scopes.every((scope) => session.grant_scope?.includes(scope) === true) &&
      audiences.every(
        (audience) => session.grant_access_token_audience?.includes(audience) === true,
      ),
  );
}

/** `remember_for` 0 (or none) is forever; otherwise it counts from `handled_at`. Unreadable: expired. */
export function rememberedConsentExpired(session: OAuth2ConsentSession, nowMs: number): boolean {
  const rememberFor = session.remember_for ?? 0;
  if (rememberFor <= 0) return false;
  const handledAt = Date.parse(session.handled_at ?? '');
  return !Number.isFinite(handledAt) || handledAt + rememberFor * 1000 <= nowMs;
}

/**
 * GET /consent: accept at once when the client is first-party (remembered, so that silent
 * sign-in works: see firstPartyRememberFor; marked as given as first-party) or when Hydra
 * remembers a consent the user chose to remember that covers the request (not remembered again:
 * the user's choice keeps its own end). A skip Hydra offers that no such consent covers asks
 * afresh (askAfreshUrl); otherwise the form.
 */
export async function startConsent(deps: ConsentDeps, challenge: string): Promise<ConsentOutcome> {
  const request = await deps.hydra.getConsentRequest(challenge);
  const scopes = request.requested_scope ?? [];
  const audiences = request.requested_access_token_audience ?? [];
  if (request.client?.skip_consent === true) {
    const rememberForSeconds = firstPartyRememberFor(deps);
    return redirect(
      await accept(
        deps,
        challenge,
        request,
        { scopes, audiences, rememberForSeconds },
        { firstParty: true },
      ),
    );
  }
  if (request.skip) {
    if (await rememberedConsentCovers(deps, request, scopes, audiences)) {
      return redirect(await accept(deps, challenge, request, { scopes, audiences }));
    }
    // Hydra's skip cannot count (see askAfreshUrl): asked afresh, or consent_required.
    const asked = authorizationRequest(request.request_url);
    if (asked && promptsOf(asked).includes('none')) {
      return redirect(
        await deps.hydra.rejectConsentRequest(challenge, {
          error: 'consent_required',
          error_description: 'The user has to be asked for consent.',
        }),
      );
    }
    const again = askAfreshUrl(asked);
    if (again) return redirect(again);
  }
  const context = readLoginContext(request.context);
  const email = context?.claims.email;
  const locale = context?.claims.locale;
  return show({
    client: clientView(request.client),
    ...uiLocalesOf(request),
    ...(typeof locale === 'string' && locale !== '' ? { userLocale: locale } : {}),
    userName: typeof email === 'string' ? email : (request.subject ?? ''),
    scopes: scopes.map((name) => ({
      name,
      description: Object.hasOwn(SCOPE_DESCRIPTIONS, name) ? SCOPE_DESCRIPTIONS[name] : undefined,
      required: REQUIRED_SCOPES.has(name),
    })),
    audiences,
    switchAccountUrl: switchAccountUrl(request.request_url),
  });
}

/**
 * Hydra's `request_url` when it is an authorization request (`…/oauth2/auth`), which can be sent
 * again. Hydra v26 gives a device sign-in's consent the device verification URL instead.
 */
function authorizationRequest(requestUrl: string | undefined): URL | undefined {
  try {
    const url = new URL(requestUrl ?? '');
    return url.pathname.endsWith('/oauth2/auth') ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where to ask when Hydra offers to skip a consent we cannot count (rememberedConsentCovers).
 * Hydra keeps the answer given in a flow it offered to skip as no consent of its own (its list of
 * consents and its own `skip` leave such flows out), so a "Remember this decision" ticked there
 * would never count and the user would be asked at every sign-in. So the client's authorization
 * request goes to Hydra again with `prompt=consent`: Hydra then asks, and keeps the answer (a
 * client that asked for no interaction, `prompt=none`, gets `consent_required` instead). The
 * form itself (undefined) only where the request cannot be made again: a device sign-in's
 * consent, one already asked afresh, a URL we cannot read.
 */
function askAfreshUrl(asked: URL | undefined): string | undefined {
  if (!asked || promptsOf(asked).includes('consent')) return undefined;
  return requestAgainWithPrompt(asked.href, 'consent');
}

/**
 * "Use another account" restarts the authorization request at Hydra with `prompt=login`, without
 * the hints that name this user (`login_hint` would prefill their email; an `id_token_hint` for
 * them makes Hydra refuse another subject with `login_required`). Only an authorization request:
 * a device sign-in's starts no fresh sign-in.
 */
function switchAccountUrl(requestUrl: string | undefined): string | undefined {
  const fresh = freshSignInUrl(authorizationRequest(requestUrl)?.href);
  if (fresh === undefined) return undefined;
  const url = new URL(fresh);
  url.searchParams.delete('login_hint');
  url.searchParams.delete('id_token_hint');
  return url.href;
}

export interface ConsentSubmission {
  action: 'allow' | 'deny';
  scopes: string[];
  audiences: string[];
  remember: boolean;
}

/** POST /consent: re-read the request, then grant only what was both requested and chosen. */
export async function submitConsent(
  deps: ConsentDeps,
  challenge: string,
  submission: ConsentSubmission,
): Promise<ConsentOutcome> {
  const request = await deps.hydra.getConsentRequest(challenge);
  if (submission.action === 'deny') {
    audit('consent.denied', { subject: request.subject, client: request.client?.client_id });
    return redirect(
      await deps.hydra.rejectConsentRequest(challenge, {
        error: 'access_denied',
        error_description: 'The user denied the request.',
      }),
    );
  }
  const chosenScopes = new Set(submission.scopes);
  const chosenAudiences = new Set(submission.audiences);
  return redirect(
    await accept(deps, challenge, request, {
      scopes: (request.requested_scope ?? []).filter(
        (scope) => chosenScopes.has(scope) || REQUIRED_SCOPES.has(scope),
      ),
      audiences: (request.requested_access_token_audience ?? []).filter((audience) =>
        chosenAudiences.has(audience),
      ),
      rememberForSeconds: submission.remember ? deps.rememberForSeconds : undefined,
    }),
  );
}
