/**
 * What the bench holds the code to, as data: each function's cold-start and bundle budget
 * against a floor measured in the same run, the warm and whole-flow budgets, and the fewest
 * calls each path can make. A new function joins the bench with its budget here (one without is
 * a miss); ./report turns these into verdicts.
 */
import type { CallCounts } from '../stubs/reply';

/** How far above its floor a function may be, by the floor it is held to. */
export type FunctionBudget =
  /** Talks to DynamoDB: against node requiring the DynamoDB document client alone. */
  | { floor: 'document client'; coldStartTimes: number; bundleTimes: number }
  /** Loads no AWS SDK (none in its bundle, none run): against bare node. */
  | { floor: 'bare node'; coldStartPlusMs: number; bundleBytes: number };

const WITH_DYNAMODB: FunctionBudget = {
  floor: 'document client',
  coldStartTimes: 1.25,
  bundleTimes: 1.2,
};
const WITHOUT_SDK: FunctionBudget = {
  floor: 'bare node',
  coldStartPlusMs: 15,
  bundleBytes: 60 * 1024,
};

/**
 * Talks to DynamoDB and verifies WebAuthn: @simplewebauthn/server (its ASN.1, CBOR and COSE
 * code, about 430 KB minified) comes on top of the document client, in the passkey functions
 * only.
 */
const WITH_DYNAMODB_AND_WEBAUTHN: FunctionBudget = {
  floor: 'document client',
  coldStartTimes: 1.5,
  bundleTimes: 2,
};

/** By function file (functions/<name>.ts). */
export const FUNCTION_BUDGETS: Record<string, FunctionBudget> = {
  'login-get': WITH_DYNAMODB,
  'login-post': WITH_DYNAMODB,
  'second-factor-get': WITHOUT_SDK,
  'second-factor-post': WITH_DYNAMODB,
  'passkey-post': WITH_DYNAMODB_AND_WEBAUTHN,
  'account-passkey-post': WITH_DYNAMODB_AND_WEBAUTHN,
  'consent-get': WITHOUT_SDK,
  'consent-post': WITHOUT_SDK,
  'logout-get': WITH_DYNAMODB,
  'logout-post': WITHOUT_SDK,
  'signed-out': WITHOUT_SDK,
  error: WITHOUT_SDK,
  'device-get': WITHOUT_SDK,
  'device-post': WITH_DYNAMODB,
  'device-done': WITHOUT_SDK,
  'token-hook': WITH_DYNAMODB,
  health: WITH_DYNAMODB,
  'account-get': WITH_DYNAMODB,
  'account-callback': WITH_DYNAMODB,
  'account-post': WITH_DYNAMODB,
  'account-authenticator-get': WITH_DYNAMODB,
  'account-authenticator-post': WITH_DYNAMODB,
  'recovery-get': WITHOUT_SDK,
  'recovery-post': WITH_DYNAMODB,
  'reset-get': WITH_DYNAMODB,
  'reset-post': WITH_DYNAMODB,
  'signup-get': WITHOUT_SDK,
  'signup-post': WITH_DYNAMODB,
  'signup-complete-get': WITH_DYNAMODB,
  'signup-complete-post': WITH_DYNAMODB,
  'verify-get': WITH_DYNAMODB,
  'verify-post': WITH_DYNAMODB,
  'verify-send': WITH_DYNAMODB,
};

/** Each warm path: handler call to response, Hydra and DynamoDB answered in-process. */
export const WARM_BUDGET = { p50Ms: 1, p99Ms: 5 };

/** A whole sign-in without its hashing, against the floor's (medians). */
export const FLOW_BUDGET = { oursOverFloor: 1.15 };

/**
 * The functions a sign-in touches, in order, each cold after idle: the form, its POST, consent
 * and its POST, and the token hook when the application redeems the code.
 */
export const SIGN_IN_COLD = [
  'login-get',
  'login-post',
  'consent-get',
  'consent-post',
  'token-hook',
];

/** The steps of a sign-in through our functions, in order (serverless.yml routes them). */
export const SIGN_IN_STEPS = ['GET /login', 'POST /login', 'GET /consent', 'POST /consent'];

export interface MinimumCalls {
  hydra: CallCounts;
  /** DynamoDB reads and writes. */
  reads: number;
  writes: number;
  /** Mails sent (SES SendEmail); none when not given. */
  mails?: number;
  why: string;
}

const read = (kind: string): CallCounts => ({ [`get ${kind} request`]: 1 });
const readAndAccept = (kind: string): CallCounts => ({
  ...read(kind),
  [`accept ${kind} request`]: 1,
});

/** The fewest calls each path (a warm path's key) can make: Hydra's, DynamoDB reads and writes. */
export const MINIMUM_CALLS: Record<string, MinimumCalls> = {
  'login-get': { hydra: read('login'), reads: 0, writes: 0, why: 'read the login request' },
  'login-get-skip': {
    hydra: readAndAccept('login'),
    reads: 2,
    writes: 0,
    why: 'read the request, re-check the user (1 read) and when the session began (1 read, alongside), accept',
  },
  'login-post': {
    hydra: readAndAccept('login'),
    reads: 2,
    writes: 7,
    why: "read the request (no counter moves for a challenge Hydra no longer knows), accept; 1 user read; after the right password, 1 read of the user's second factors; throttle from a new browser: +1 below the limit for (account, IP), IP and account before the hash, then clear the first and give back the other two (a known browser: 1 + 1); record how the session was established (1 write)",
  },
  'consent-get': {
    hydra: read('consent'),
    reads: 0,
    writes: 0,
    why: 'read the consent request; claims travel in the login context',
  },
  'consent-get-skip': {
    hydra: readAndAccept('consent'),
    reads: 0,
    writes: 0,
    why: 'read, accept; claims from the login context',
  },
  'consent-post': {
    hydra: readAndAccept('consent'),
    reads: 0,
    writes: 0,
    why: 'read (grant = requested ∩ chosen), accept',
  },
  'logout-get': {
    hydra: read('logout'),
    reads: 1,
    writes: 0,
    why: 'read; the account the question names (1 read)',
  },
  'logout-post': {
    hydra: readAndAccept('logout'),
    reads: 0,
    writes: 0,
    why: 'read (subject and client for the audit line), accept',
  },
  'signed-out': { hydra: {}, reads: 0, writes: 0, why: 'nothing to call' },
  error: { hydra: {}, reads: 0, writes: 0, why: 'nothing to call' },
  'device-get': {
    hydra: {},
    reads: 0,
    writes: 0,
    why: 'nothing to read (Hydra has no admin GET for a device request)',
  },
  'device-post': {
    hydra: { 'accept device request': 1 },
    reads: 0,
    writes: 4,
    why: 'accept the code; throttle: +1 below the limit for the IP and the challenge before Hydra is asked, both given back after it accepts',
  },
  'device-done': { hydra: {}, reads: 0, writes: 0, why: 'nothing to call' },
  'account-get': {
    hydra: { 'list consent sessions': 1 },
    reads: 2,
    writes: 0,
    why: "re-check the session's user (1 read), list the apps (every page of the subject's consent sessions: 1 here) and the user's second factors (1 read, beside the list)",
  },
  'account-callback': {
    hydra: {},
    reads: 0,
    writes: 0,
    why: 'no sign-in pending in this browser: refused before anything is called',
  },
  'account-post': {
    hydra: { 'list consent sessions': 1, 'revoke consent sessions': 1 },
    reads: 2,
    writes: 0,
    why: "re-check the session's user (1 read), check the app is one the user authorised (list, with the second factors: 1 read), revoke its consents",
  },
  'token-hook': {
    hydra: {},
    reads: 1,
    writes: 0,
    why: 're-check the user by its subject (1 read)',
  },
  health: {
    hydra: { 'check alive': 1 },
    reads: 1,
    writes: 0,
    why: "Hydra's /health/alive and one read of the table, alongside",
  },
  'second-factor-get': {
    hydra: read('login'),
    reads: 0,
    writes: 0,
    why: 'read the login request (the client named on the page); the pending sign-in is in its signed cookie',
  },
  'second-factor-post': {
    hydra: readAndAccept('login'),
    reads: 2,
    writes: 8,
    why: "read the request, accept; the user (1 read) and its factors (1 read); throttle as POST /login's (3 up before the code, 1 cleared and 2 given back after it); the code's time step taken (1 conditional write); the session's methods recorded (1 write)",
  },
  'account-authenticator-get': {
    hydra: {},
    reads: 2,
    writes: 0,
    why: "re-check the session's user (1 read) and its second factors (1 read: none yet); the new key is sealed into the page, nothing stored",
  },
  'account-authenticator-post': {
    hydra: {},
    reads: 2,
    writes: 7,
    why: "re-check the session's user and its factors (2 reads); the code throttle as the second step's (3 up before the code, 1 cleared and 2 given back after it); the key and the recovery codes (1 write)",
  },
  'passkey-post': {
    hydra: readAndAccept('login'),
    reads: 2,
    writes: 2,
    why: "read the request, accept; the user the passkey names and its factors (2 reads); the passkey's counter (1 conditional write); the session's methods recorded (1 write)",
  },
  'account-passkey-post': {
    hydra: {},
    reads: 1,
    writes: 1,
    why: "re-check the session's user (1 read); the passkey added by one conditional write (at most ten, a new id), so nothing else is read",
  },
  'recovery-get': { hydra: {}, reads: 0, writes: 0, why: 'a form: nothing to read' },
  'recovery-post': {
    hydra: {},
    reads: 1,
    writes: 3,
    mails: 1,
    why: 'mail throttle +1 for the address and the IP (2 writes), the user by email (1 read), the link stored (1 write), one mail',
  },
  'reset-get': { hydra: {}, reads: 1, writes: 0, why: 'read the link' },
  'reset-post': {
    hydra: { 'revoke consent sessions': 1 },
    reads: 2,
    writes: 3,
    mails: 1,
    why: "read the link (which page: working, used, expired), use it up (1 conditional write), the user (1 read), the password on the user's two items (2 writes), its consent sessions revoked at Hydra, a mail saying so",
  },
  'signup-get': { hydra: {}, reads: 0, writes: 0, why: 'a form: nothing to read' },
  'signup-post': {
    hydra: {},
    reads: 1,
    writes: 3,
    mails: 1,
    why: 'mail throttle +1 for the address and the IP (2 writes), is there an account (1 read), the link stored (1 write), one mail',
  },
  'signup-complete-get': { hydra: {}, reads: 1, writes: 0, why: 'read the link' },
  'signup-complete-post': {
    hydra: {},
    reads: 1,
    writes: 3,
    why: "read the link, use it up (1 conditional write), the user's two items written on condition that they are new (2 writes)",
  },
  'verify-get': { hydra: {}, reads: 1, writes: 0, why: 'read the link' },
  'verify-post': {
    hydra: {},
    reads: 1,
    writes: 3,
    why: "read the link, use it up (1 conditional write), email_verified on the user's two items (2 writes)",
  },
  'verify-send': {
    hydra: {},
    reads: 1,
    writes: 3,
    mails: 1,
    why: 'the user the signed step names (1 read), mail throttle +1 for the address and the IP (2 writes), the link stored (1 write), one mail',
  },
};
