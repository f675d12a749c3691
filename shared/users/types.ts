/** A postal address as OIDC Core 5.1.1 defines it. */
export interface Address {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

/** The profile claims we keep per user; names follow OIDC Core 5.1 standard claims. */
export interface UserProfile {
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username?: string;
  picture?: string;
  website?: string;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  email_verified?: boolean;
  phone_number?: string;
  phone_number_verified?: boolean;
  address?: Address;
  /** Authorization data for access tokens (only sent where configured). */
  roles?: string[];
  groups?: string[];
}

export interface User {
  /** Stable random subject id (what Hydra sees as `subject`); never the email. */
  id: string;
  /** The login identifier: the normalized email (trim → NFKC → lower-case). */
  email: string;
  enabled: boolean;
  /** argon2id PHC string, parameters included. */
  passwordHash: string;
  /** ISO-8601; changes with every password change. */
  passwordChangedAt: string;
  createdAt: string;
  /** ISO-8601; changes with every change of the record (OIDC `updated_at`). */
  updatedAt: string;
  /**
   * ISO-8601; sessions (remembered logins, refresh tokens) authenticated at or before this moment
   * no longer count. Set by a password change, disabling the user and `revokeSessions`; absent
   * until the first of those.
   */
  sessionsValidAfter?: string;
  profile: UserProfile;
}

export interface NewUser {
  email: string;
  password: string;
  enabled?: boolean;
  profile?: UserProfile;
}

/** Thrown by `create` when the normalized identifier is taken. */
export class UserExistsError extends Error {
  constructor() {
    super('a user with this identifier already exists');
    this.name = 'UserExistsError';
  }
}

/** What `changeEmail` did. */
export type EmailChange =
  /** The address is the new one, verified: the user as it is now. */
  | { status: 'changed'; user: User }
  /** Another user has the new address: nothing changed. */
  | { status: 'taken' }
  /** No such user, or its address is no longer `from`: nothing changed. */
  | { status: 'gone' };

export interface UserStore {
  /**
   * `identifier` is normalized already (normalizeIdentifier, once, where the input comes in): the
   * store looks it up as given.
   */
  findByIdentifier(identifier: string): Promise<User | undefined>;
  findById(id: string): Promise<User | undefined>;
  create(input: NewUser): Promise<User>;
  /**
   * The rehash after a sign-in, for the user that sign-in read: replaces its hash with `newHash`
   * only if the stored one is still `user.passwordHash`, without reading the user again. Returns
   * whether it did.
   */
  replacePasswordHash(
    user: Pick<User, 'id' | 'email' | 'passwordHash'>,
    newHash: string,
  ): Promise<boolean>;
  /** Sets a new password and ends the user's sessions (`sessionsValidAfter`). */
  setPassword(id: string, password: string): Promise<User | undefined>;
  /** Replaces the user's profile claims (the account page: name and locale). */
  setProfile(id: string, profile: UserProfile): Promise<User | undefined>;
  /** Disabling also ends the user's sessions (`sessionsValidAfter`); enabling does not. */
  setEnabled(id: string, enabled: boolean): Promise<User | undefined>;
  /** Ends every session authenticated until now (`sessionsValidAfter` = now). */
  revokeSessions(id: string): Promise<User | undefined>;
  /**
   * Marks the user's email verified (`email_verified`), only while its email is still `email`
   * (the address a verification link was mailed to). Undefined when it is not (or no such user).
   */
  setEmailVerified(id: string, email: string): Promise<User | undefined>;
  /**
   * Moves the user from the (normalized) address `from` to `to`, verified, in one transaction
   * with the identifier's uniqueness: no half-moved user, no two users with one address.
   */
  changeEmail(id: string, from: string, to: string): Promise<EmailChange>;
  /** Deletes the user and its identifier record together. Returns whether it existed. */
  delete(id: string): Promise<boolean>;
  list(): AsyncIterable<User>;
}
