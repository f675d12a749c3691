/**
 * In-memory fakes of the flows' ports. Small and honest: they keep state the way the real
 * adapters do and record what they were told, so tests assert on what reached "Hydra" or the
 * "store", never on what a mock was told to return.
 */
import type { Locale } from '../../../shared/i18n/messages';
import type { Mail, Mailer } from '../../../shared/mail/mailer';
import type {
  EmailToken,
  EmailTokenPurpose,
  EmailTokens,
  StoredEmailToken,
} from '../../../shared/users/email-tokens';
import type {
  AcceptOAuth2ConsentRequest,
  AcceptOAuth2LoginRequest,
  OAuth2ConsentRequest,
  OAuth2ConsentSession,
  OAuth2LoginRequest,
  OAuth2LogoutRequest,
  RejectOAuth2Request,
} from '@ory/hydra-client';
import type {
  AcceptDeviceUserCodeRequest,
  DeviceCodeAnswer,
  HydraAdmin,
} from '../../../shared/hydra/admin';
import { ChallengeNotFoundError, DeviceFlowUnsupportedError } from '../../../shared/hydra/errors';
import type { ThrottleCounters } from '../../../shared/throttle/throttle';
import type {
  Factors,
  FactorStore,
  RecoveryCodes,
  TotpFactor,
} from '../../../shared/users/factors';
import {
  MAX_PASSKEYS,
  type PasskeyStore,
  type PasskeyUse,
  type StoredPasskey,
} from '../../../shared/users/passkeys';
import type { LoginSession, LoginSessions } from '../../../shared/users/login-sessions';
import { normalizeIdentifier } from '../../../shared/users/identifier';
import type { PasswordHasher } from '../../../shared/users/password';
import { normalizePassword } from '../../../shared/users/password-policy';
import { throttleCounterPrefix, type ThrottleCounterKind } from '../../../shared/users/table';
import {
  UserExistsError,
  type EmailChange,
  type NewUser,
  type User,
  type UserProfile,
  type UserStore,
} from '../../../shared/users/types';

import {
  SignInRefusedError,
  type AccountTokens,
  type PendingSignIn,
  type SignedIn,
} from '../../../shared/hydra/public';

export const HYDRA_PUBLIC = 'https://hydra.example';

export type HydraDecision =
  | { kind: 'login'; decision: 'accept'; challenge: string; body: AcceptOAuth2LoginRequest }
  | { kind: 'login'; decision: 'reject'; challenge: string; body: RejectOAuth2Request }
  | { kind: 'consent'; decision: 'accept'; challenge: string; body: AcceptOAuth2ConsentRequest }
  | { kind: 'consent'; decision: 'reject'; challenge: string; body: RejectOAuth2Request }
  | { kind: 'logout'; decision: 'accept' | 'reject'; challenge: string }
  | { kind: 'device'; decision: 'accept'; challenge: string; body: AcceptDeviceUserCodeRequest };

/** A device user code as Hydra keeps it: waiting for its user, expired, or used up. */
export type UserCodeState = 'unused' | 'expired' | 'used';

/** A call the fake was sent: which method, about which challenge (or subject). */
export interface HydraCall {
  method: keyof HydraAdmin;
  about: string;
}

/** Hydra's admin API in memory: requests by challenge, and every decision it was sent. */
export class FakeHydra implements HydraAdmin {
  readonly loginRequests = new Map<string, OAuth2LoginRequest>();
  readonly consentRequests = new Map<string, OAuth2ConsentRequest>();
  readonly logoutRequests = new Map<string, OAuth2LogoutRequest>();
  readonly decisions: HydraDecision[] = [];
  readonly revokedSubjects: string[] = [];
  /** Every call, in order, the failed ones included. */
  readonly calls: HydraCall[] = [];
  /**
   * What the adapter throws instead of answering, for every call about a challenge (the typed
   * errors of shared/hydra/errors.ts: how the adapter reports a 410, a 5xx, a timeout).
   */
  readonly failures = new Map<string, Error>();
  /** The same for the accepts and rejects of a challenge only (its reads still answer). */
  readonly decisionFailures = new Map<string, Error>();
  reads = 0;
  failRevocation = false;
  /** Device challenges Hydra handed out (it has no admin GET for them: they are only accepted). */
  readonly deviceChallenges = new Set<string>();
  /** Device user codes by their exact text (Hydra compares an HMAC of it: case and all). */
  readonly userCodes = new Map<string, UserCodeState>();
  /** A Hydra before v25.4: no device routes at all. */
  withoutDeviceFlow = false;

  /** The calls that accepted or rejected something (sent, whether or not they were answered). */
  get sentDecisions(): HydraCall[] {
    return this.calls.filter((call) => /^(accept|reject)/.test(call.method));
  }

  private call(method: keyof HydraAdmin, about: string): void {
    this.calls.push({ method, about });
    const failure =
      (/^(accept|reject)/.test(method) ? this.decisionFailures.get(about) : undefined) ??
      this.failures.get(about);
    if (failure) throw failure;
  }

  private known<T>(requests: Map<string, T>, challenge: string): T {
    this.reads += 1;
    const request = requests.get(challenge);
    if (!request) throw new ChallengeNotFoundError(404);
    return request;
  }

  private decide(decision: HydraDecision): string {
    this.decisions.push(decision);
    const verifier = `${decision.kind}_verifier`;
    return `${HYDRA_PUBLIC}/oauth2/auth?${verifier}=${decision.decision}-${decision.challenge}`;
  }

  /** The one decision sent for a kind, failing the test when there is not exactly one. */
  only(kind: HydraDecision['kind']): HydraDecision {
    const found = this.decisions.filter((decision) => decision.kind === kind);
    if (found.length !== 1) {
      throw new Error(`expected one ${kind} decision, got ${JSON.stringify(this.decisions)}`);
    }
    return found[0] as HydraDecision;
  }

  async getLoginRequest(challenge: string): Promise<OAuth2LoginRequest> {
    this.call('getLoginRequest', challenge);
    return this.known(this.loginRequests, challenge);
  }

  async acceptLoginRequest(challenge: string, body: AcceptOAuth2LoginRequest): Promise<string> {
    this.call('acceptLoginRequest', challenge);
    this.known(this.loginRequests, challenge);
    return this.decide({ kind: 'login', decision: 'accept', challenge, body });
  }

  async rejectLoginRequest(challenge: string, body: RejectOAuth2Request): Promise<string> {
    this.call('rejectLoginRequest', challenge);
    this.known(this.loginRequests, challenge);
    return this.decide({ kind: 'login', decision: 'reject', challenge, body });
  }

  async getConsentRequest(challenge: string): Promise<OAuth2ConsentRequest> {
    this.call('getConsentRequest', challenge);
    return this.known(this.consentRequests, challenge);
  }

  async acceptConsentRequest(challenge: string, body: AcceptOAuth2ConsentRequest): Promise<string> {
    this.call('acceptConsentRequest', challenge);
    this.known(this.consentRequests, challenge);
    return this.decide({ kind: 'consent', decision: 'accept', challenge, body });
  }

  async rejectConsentRequest(challenge: string, body: RejectOAuth2Request): Promise<string> {
    this.call('rejectConsentRequest', challenge);
    this.known(this.consentRequests, challenge);
    return this.decide({ kind: 'consent', decision: 'reject', challenge, body });
  }

  async getLogoutRequest(challenge: string): Promise<OAuth2LogoutRequest> {
    this.call('getLogoutRequest', challenge);
    return this.known(this.logoutRequests, challenge);
  }

  async acceptLogoutRequest(challenge: string): Promise<string> {
    this.call('acceptLogoutRequest', challenge);
    this.known(this.logoutRequests, challenge);
    return this.decide({ kind: 'logout', decision: 'accept', challenge });
  }

  async rejectLogoutRequest(challenge: string): Promise<void> {
    this.call('rejectLogoutRequest', challenge);
    this.known(this.logoutRequests, challenge);
    this.decisions.push({ kind: 'logout', decision: 'reject', challenge });
  }

  async acceptDeviceRequest(
    challenge: string,
    body: AcceptDeviceUserCodeRequest,
  ): Promise<DeviceCodeAnswer> {
    this.call('acceptDeviceRequest', challenge);
    if (this.withoutDeviceFlow) throw new DeviceFlowUnsupportedError();
    if (!this.deviceChallenges.has(challenge)) throw new ChallengeNotFoundError(404);
    if (this.userCodes.get(body.user_code) !== 'unused') return { accepted: false };
    return {
      accepted: true,
      redirectTo: this.decide({ kind: 'device', decision: 'accept', challenge, body }),
    };
  }

  async revokeConsentSessions(subject: string): Promise<void> {
    this.call('revokeConsentSessions', subject);
    if (this.failRevocation) throw new Error('hydra is down');
    this.revokedSubjects.push(subject);
  }

  /** Hydra's liveness (GET /health/alive): what it fails with, when it does. */
  aliveFailure: Error | undefined;

  async checkAlive(): Promise<void> {
    this.call('checkAlive', 'health');
    if (this.aliveFailure) throw this.aliveFailure;
  }

  /** (subject, client) pairs whose consents were revoked ("Remove access"). */
  readonly revokedClients: { subject: string; clientId: string }[] = [];

  async revokeClientConsentSessions(subject: string, clientId: string): Promise<void> {
    this.call('revokeClientConsentSessions', subject);
    if (this.failRevocation) throw new Error('hydra is down');
    this.revokedClients.push({ subject, clientId });
    const kept = (this.consentSessions.get(subject) ?? []).filter(
      (session) => session.consent_request?.client?.client_id !== clientId,
    );
    this.consentSessions.set(subject, kept);
  }

  /** Remembered consents per subject, as Hydra keeps them. */
  readonly consentSessions = new Map<string, OAuth2ConsentSession[]>();

  consentSessionLists = 0;

  async listConsentSessions(subject: string): Promise<OAuth2ConsentSession[]> {
    this.call('listConsentSessions', subject);
    this.consentSessionLists += 1;
    return this.consentSessions.get(subject) ?? [];
  }
}

/**
 * A stand-in for argon2: `fake$<version>$<password>`. `version` plays the part of the argon2
 * parameters, so a hash of another version "needs a rehash". Counts the password work done.
 */
export class FakePasswordHasher implements PasswordHasher {
  verifyCalls = 0;
  dummyCalls = 0;
  hashCalls = 0;

  constructor(public version = 'v2') {}

  hashSync(password: string, version = this.version): string {
    return `fake$${version}$${normalizePassword(password)}`;
  }

  async hash(password: string): Promise<string> {
    this.hashCalls += 1;
    return this.hashSync(password);
  }

  async verify(phcHash: string, password: string): Promise<boolean> {
    this.verifyCalls += 1;
    const match = /^fake\$([^$]+)\$(.*)$/s.exec(phcHash);
    return match !== null && match[2] === normalizePassword(password);
  }

  async verifyDummy(_password: string): Promise<false> {
    this.dummyCalls += 1;
    return false;
  }

  needsRehash(phcHash: string): boolean {
    return !phcHash.startsWith(`fake$${this.version}$`);
  }

  get work(): number {
    return this.verifyCalls + this.dummyCalls;
  }
}

/** Users in a map by id; identifiers are normalized the way the real store does. */
export class InMemoryUserStore implements UserStore {
  readonly users = new Map<string, User>();
  /**
   * Users whose id pointer is missing (what an interrupted create leaves in DynamoDB): found by
   * email, not by id, and no change by id reaches them, as in DynamoUserStore.
   */
  readonly withoutIdPointer = new Set<string>();
  /** Every call of a UserStore method, by name, in order. */
  readonly calls: (keyof UserStore)[] = [];
  failReplace = false;

  /** The calls that change a user (a create, a rehash, …). */
  get writes(): (keyof UserStore)[] {
    return this.calls.filter((name) => !['findByIdentifier', 'findById', 'list'].includes(name));
  }
  private nextId = 1;

  constructor(private readonly hasher: FakePasswordHasher) {}

  /** A stored user, built directly (no password work counted). */
  add(
    input: { email: string; password: string; hashVersion?: string } & Partial<
      Omit<User, 'email' | 'passwordHash'>
    >,
  ): User {
    const { email, password, hashVersion, ...rest } = input;
    const now = '2024-05-01T10:00:00.000Z';
    const user: User = {
      id: `user-${this.nextId++}`,
      enabled: true,
      passwordChangedAt: now,
      createdAt: now,
      updatedAt: now,
      profile: {},
      ...rest,
      email: normalizeIdentifier(email),
      passwordHash: this.hasher.hashSync(password, hashVersion),
    };
    this.users.set(user.id, user);
    return user;
  }

  async findByIdentifier(identifier: string): Promise<User | undefined> {
    this.calls.push('findByIdentifier');
    return this.byEmail(identifier);
  }

  /** The user under this (already normalized) email, as the store's email item holds it. */
  private byEmail(email: string): User | undefined {
    return [...this.users.values()].find((user) => user.email === email);
  }

  async findById(id: string): Promise<User | undefined> {
    this.calls.push('findById');
    return this.byId(id);
  }

  private byId(id: string): User | undefined {
    return this.withoutIdPointer.has(id) ? undefined : this.users.get(id);
  }

  async create(input: NewUser): Promise<User> {
    this.calls.push('create');
    if (this.byEmail(normalizeIdentifier(input.email))) throw new UserExistsError();
    return this.add({
      email: input.email,
      password: input.password,
      enabled: input.enabled ?? true,
      profile: input.profile ?? {},
    });
  }

  async replacePasswordHash(
    user: Pick<User, 'id' | 'email' | 'passwordHash'>,
    newHash: string,
  ): Promise<boolean> {
    this.calls.push('replacePasswordHash');
    if (this.failReplace) throw new Error('conditional write failed to reach the store');
    const stored = this.users.get(user.id);
    if (stored?.email !== user.email || stored.passwordHash !== user.passwordHash) return false;
    this.users.set(user.id, { ...stored, passwordHash: newHash });
    return true;
  }

  async setPassword(id: string, password: string): Promise<User | undefined> {
    this.calls.push('setPassword');
    const user = this.byId(id);
    if (!user) return undefined;
    const now = new Date().toISOString();
    const updated = {
      ...user,
      passwordHash: await this.hasher.hash(password),
      passwordChangedAt: now,
      sessionsValidAfter: now,
    };
    this.users.set(id, updated);
    return updated;
  }

  async setProfile(id: string, profile: UserProfile): Promise<User | undefined> {
    this.calls.push('setProfile');
    const user = this.byId(id);
    if (!user) return undefined;
    const updated = { ...user, profile, updatedAt: new Date().toISOString() };
    this.users.set(id, updated);
    return updated;
  }

  async setEnabled(id: string, enabled: boolean): Promise<User | undefined> {
    this.calls.push('setEnabled');
    const user = this.byId(id);
    if (!user) return undefined;
    const updated = enabled
      ? { ...user, enabled }
      : { ...user, enabled, sessionsValidAfter: new Date().toISOString() };
    this.users.set(id, updated);
    return updated;
  }

  async revokeSessions(id: string): Promise<User | undefined> {
    this.calls.push('revokeSessions');
    const user = this.byId(id);
    if (!user) return undefined;
    const updated = { ...user, sessionsValidAfter: new Date().toISOString() };
    this.users.set(id, updated);
    return updated;
  }

  async setEmailVerified(id: string, email: string): Promise<User | undefined> {
    this.calls.push('setEmailVerified');
    const user = this.byId(id);
    if (user?.email !== email) return undefined;
    const updated = { ...user, profile: { ...user.profile, email_verified: true } };
    this.users.set(id, updated);
    return updated;
  }

  async changeEmail(id: string, from: string, to: string): Promise<EmailChange> {
    this.calls.push('changeEmail');
    const user = this.byId(id);
    if (user?.email !== from) return { status: 'gone' };
    if (this.byEmail(to)) return { status: 'taken' };
    const updated = {
      ...user,
      email: to,
      profile: { ...user.profile, email_verified: true },
      updatedAt: new Date().toISOString(),
    };
    this.users.set(id, updated);
    return { status: 'changed', user: updated };
  }

  async delete(id: string): Promise<boolean> {
    this.calls.push('delete');
    return this.byId(id) !== undefined && this.users.delete(id);
  }

  async *list(): AsyncIterable<User> {
    this.calls.push('list');
    yield* this.users.values();
  }
}

/** Throttle counters in a map; `expiresAt` is kept for inspection, expiry is the key's job. */
export class InMemoryCounters implements ThrottleCounters {
  readonly counts = new Map<string, number>();
  readonly expiresAt = new Map<string, number>();
  /** Every call, as `<method> <key>`, in order. */
  readonly calls: string[] = [];
  failing: Error | undefined;
  /** What a counter holds before its first add (a busy window: set it high). */
  counterStart = 0;

  async addBelow(key: string, limit: number, expiresAtSeconds: number): Promise<boolean> {
    this.calls.push(`addBelow ${key}`);
    if (this.failing) throw this.failing;
    if (this.count(key) >= limit) return false;
    this.increase(key, 1, expiresAtSeconds);
    return true;
  }

  async add(key: string, by: number, expiresAtSeconds: number): Promise<void> {
    this.calls.push(`add ${key}`);
    if (this.failing) throw this.failing;
    this.increase(key, by, expiresAtSeconds);
  }

  async clear(key: string): Promise<void> {
    this.calls.push(`clear ${key}`);
    if (this.failing) throw this.failing;
    this.counts.delete(key);
    this.expiresAt.delete(key);
  }

  private count(key: string): number {
    return this.counts.get(key) ?? this.counterStart;
  }

  private increase(key: string, by: number, expiresAtSeconds: number): void {
    this.counts.set(key, this.count(key) + by);
    if (!this.expiresAt.has(key)) this.expiresAt.set(key, expiresAtSeconds);
  }

  /** The current count of the one counter of this kind (0 when none). */
  countOf(kind: ThrottleCounterKind): number {
    const prefix = throttleCounterPrefix(kind);
    const keys = [...this.counts.keys()].filter((key) => key.startsWith(prefix));
    if (keys.length > 1) throw new Error(`more than one ${kind} counter`);
    return keys[0] === undefined ? 0 : (this.counts.get(keys[0]) ?? 0);
  }
}

/** Login session records in a map, as DynamoLoginSessions keeps them (expiry checked on find). */
export class InMemoryLoginSessions implements LoginSessions {
  readonly sessions = new Map<string, { session: LoginSession; expiresAtSeconds: number }>();
  /** Every call, as `<method> <sid>`, in order. */
  readonly calls: string[] = [];

  constructor(private readonly now: () => number = () => Date.now()) {}

  async record(sid: string, session: LoginSession, expiresAtSeconds: number): Promise<void> {
    this.calls.push(`record ${sid}`);
    this.sessions.set(sid, { session, expiresAtSeconds });
  }

  async find(sid: string): Promise<LoginSession | undefined> {
    this.calls.push(`find ${sid}`);
    const entry = this.sessions.get(sid);
    if (!entry || entry.expiresAtSeconds * 1000 <= this.now()) return undefined;
    return entry.session;
  }

  async addMethods(sid: string, subject: string, amr: readonly string[]): Promise<void> {
    this.calls.push(`addMethods ${sid}`);
    const entry = this.sessions.get(sid);
    if (entry?.session.subject !== subject) return;
    entry.session = { ...entry.session, amr: [...amr] };
  }
}

/**
 * The second factors in memory, as the DynamoDB item keeps them: a time step is taken only after
 * the last one, a recovery code's tag only while it is in the set.
 */
export class InMemoryFactorStore implements FactorStore, PasskeyStore {
  readonly factors = new Map<string, Factors>();
  /** Every call, as `<method> <user id>`, in order. */
  readonly calls: string[] = [];

  async find(userId: string): Promise<Factors | undefined> {
    this.calls.push(`find ${userId}`);
    const factors = this.factors.get(userId);
    return factors && structuredClone(factors);
  }

  async enrol(userId: string, totp: TotpFactor, recoveryCodes: RecoveryCodes): Promise<void> {
    this.calls.push(`enrol ${userId}`);
    const passkeys = this.factors.get(userId)?.passkeys;
    this.factors.set(
      userId,
      structuredClone({ totp, recoveryCodes, ...(passkeys ? { passkeys } : {}) }),
    );
  }

  async addPasskey(userId: string, id: string, passkey: StoredPasskey): Promise<boolean> {
    this.calls.push(`addPasskey ${userId}`);
    const factors = this.factors.get(userId) ?? {};
    const passkeys = factors.passkeys ?? {};
    if (id in passkeys || Object.keys(passkeys).length >= MAX_PASSKEYS) return false;
    this.factors.set(userId, {
      ...factors,
      passkeys: { ...passkeys, [id]: structuredClone(passkey) },
    });
    return true;
  }

  async usePasskey(userId: string, id: string, use: PasskeyUse): Promise<boolean> {
    this.calls.push(`usePasskey ${userId}`);
    const passkey = this.factors.get(userId)?.passkeys?.[id];
    if (!passkey || passkey.counter !== use.previousCounter) return false;
    Object.assign(passkey, {
      counter: use.counter,
      backedUp: use.backedUp,
      lastUsedAt: use.usedAt,
    });
    return true;
  }

  async removePasskey(userId: string, id: string): Promise<boolean> {
    this.calls.push(`removePasskey ${userId}`);
    const passkeys = this.factors.get(userId)?.passkeys;
    if (!passkeys || !(id in passkeys)) return false;
    delete passkeys[id];
    return true;
  }

  async useTotpStep(userId: string, step: number, resealed?: string): Promise<boolean> {
    this.calls.push(`useTotpStep ${userId}`);
    const totp = this.factors.get(userId)?.totp;
    if (!totp || totp.lastStep >= step) return false;
    totp.lastStep = step;
    if (resealed) totp.secret = resealed;
    return true;
  }

  async replaceRecoveryCodes(userId: string, recoveryCodes: RecoveryCodes): Promise<boolean> {
    this.calls.push(`replaceRecoveryCodes ${userId}`);
    const factors = this.factors.get(userId);
    if (!factors?.totp) return false;
    factors.recoveryCodes = structuredClone(recoveryCodes);
    return true;
  }

  async useRecoveryCode(userId: string, tag: string): Promise<boolean> {
    this.calls.push(`useRecoveryCode ${userId}`);
    const codes = this.factors.get(userId)?.recoveryCodes;
    if (!codes?.tags.includes(tag)) return false;
    codes.tags = codes.tags.filter((other) => other !== tag);
    return true;
  }

  async reset(userId: string): Promise<boolean> {
    this.calls.push(`reset ${userId}`);
    return this.factors.delete(userId);
  }
}

/**
 * Hydra's token endpoint for the account page: each code it knows signs in one subject at a
 * time, if the verifier and nonce are the pending sign-in's.
 */
export class FakeAccountTokens implements AccountTokens {
  readonly codes = new Map<string, { subject: string; authTime: number; verifier?: string }>();
  readonly exchanged: string[] = [];
  failure: Error | undefined;

  async exchange(code: string, pending: PendingSignIn): Promise<SignedIn> {
    this.exchanged.push(code);
    if (this.failure) throw this.failure;
    const known = this.codes.get(code);
    this.codes.delete(code);
    if (!known) throw new SignInRefusedError('invalid_grant');
    if (known.verifier !== undefined && known.verifier !== pending.verifier) {
      throw new SignInRefusedError('invalid_grant');
    }
    return { subject: known.subject, authTime: known.authTime };
  }
}

/** Mailed links in a map, consumed atomically (one of two racing consumes wins). */
export class InMemoryEmailTokens implements EmailTokens {
  readonly tokens = new Map<string, StoredEmailToken>();

  async save(hash: string, token: EmailToken): Promise<void> {
    if (this.tokens.has(hash)) throw new Error('a token under this hash exists');
    this.tokens.set(hash, { ...token });
  }

  async find(hash: string): Promise<StoredEmailToken | undefined> {
    const found = this.tokens.get(hash);
    return found ? { ...found } : undefined;
  }

  async consume(
    hash: string,
    purpose: EmailTokenPurpose,
    nowSeconds: number,
  ): Promise<StoredEmailToken | undefined> {
    const found = this.tokens.get(hash);
    if (!found || found.purpose !== purpose || found.usedAtSeconds !== undefined) return undefined;
    if (found.validUntilSeconds <= nowSeconds) return undefined;
    const used = { ...found, usedAtSeconds: nowSeconds };
    this.tokens.set(hash, used);
    return { ...used };
  }
}

/** Mails kept in a list, as sent: the address, the typed mail and its language. */
export class RecordingMailer implements Mailer {
  readonly sent: Array<{ to: string; mail: Mail; locale: Locale }> = [];
  fail = false;

  async send(to: string, mail: Mail, locale: Locale): Promise<void> {
    if (this.fail) throw new Error('the mail transport failed');
    this.sent.push({ to, mail, locale });
  }

  /** The token in the last mail's link. */
  lastToken(): string {
    const mail = this.sent.at(-1)?.mail;
    const link = mail && 'link' in mail ? mail.link : undefined;
    const token = link ? new URL(link).searchParams.get('token') : null;
    if (!token) throw new Error('the last mail has no link with a token');
    return token;
  }
}
