/**
 * The user admin actions (what the users CLI changes). The rule they share: disabling, deleting,
 * changing the password and revoking end the user's sessions, in two places.
 *   - The store stamps the user's `sessionsValidAfter` (setPassword, setEnabled(false) and
 *     revokeSessions do), so our own check refuses every remembered login authenticated until
 *     now (shared/users/sessions.ts).
 *   - Hydra revokes the user's consent sessions, and with them its access and refresh tokens.
 *     Its login sessions are left alone on purpose (see `revokeConsentSessions`, Hydra #3371).
 * The store change comes first; Hydra is asked only once the store made it. Nothing here prints
 * or exits: each result says what was done, and the CLI tells the operator.
 */
import type { HydraAdmin } from '../hydra/admin';
import { normalizeIdentifier } from '../users/identifier';
import type { User, UserStore } from '../users/types';

export interface UserAdminPorts {
  users: Pick<
    UserStore,
    'findById' | 'findByIdentifier' | 'setPassword' | 'setEnabled' | 'revokeSessions' | 'delete'
  >;
  /** Where the user's consents and tokens are revoked; undefined: they are not (`--no-revoke`). */
  hydra: Pick<HydraAdmin, 'revokeConsentSessions'> | undefined;
}

/** What became of the user's consents and tokens at Hydra. */
export type HydraRevocation =
  { hydra: 'revoked' } | { hydra: 'not-asked' } | { hydra: 'failed'; error: Error };

/**
 * The store changed nothing: the user found a moment ago is not there for a change by its id.
 * `incomplete`: it is still found by its email, not by its id (an interrupted create left its
 * item without the id pointer); `gone`: it is not there at all any more (deleted meanwhile).
 */
export interface Unchanged {
  status: 'unchanged';
  user: User;
  because: 'incomplete' | 'gone';
}

export type ChangeResult = Unchanged | ({ status: 'changed'; user: User } & HydraRevocation);

export type EnableResult = Unchanged | { status: 'changed'; user: User };

/**
 * `deleted`: the user is gone. `disabled`: the delete stopped after disabling the user (which
 * ended its sessions): Hydra's revocation failed (then the record is kept, so that running the
 * delete again retries it), or the delete itself failed (`deleteError`) or found no record.
 */
export type DeleteResult =
  | Unchanged
  | ({ status: 'deleted'; user: User } & Exclude<HydraRevocation, { hydra: 'failed' }>)
  | ({ status: 'disabled'; user: User; deleteError?: Error } & HydraRevocation);

/** A user named by email (anything with an `@`) or by id. */
export async function findUser(
  users: Pick<UserStore, 'findByIdentifier' | 'findById'>,
  reference: string,
): Promise<User | undefined> {
  return reference.includes('@')
    ? users.findByIdentifier(normalizeIdentifier(reference))
    : users.findById(reference);
}

export async function setUserPassword(
  ports: UserAdminPorts,
  user: User,
  password: string,
): Promise<ChangeResult> {
  const changed = await ports.users.setPassword(user.id, password);
  if (!changed) return unchanged(ports.users, user);
  return { status: 'changed', user: changed, ...(await revokeAtHydra(ports, user)) };
}

export async function disableUser(ports: UserAdminPorts, user: User): Promise<ChangeResult> {
  const changed = await ports.users.setEnabled(user.id, false);
  if (!changed) return unchanged(ports.users, user);
  return { status: 'changed', user: changed, ...(await revokeAtHydra(ports, user)) };
}

/** Enabling lets the user sign in again; sessions ended before stay ended. */
export async function enableUser(ports: UserAdminPorts, user: User): Promise<EnableResult> {
  const changed = await ports.users.setEnabled(user.id, true);
  if (!changed) return unchanged(ports.users, user);
  return { status: 'changed', user: changed };
}

/** Ends every session of the user authenticated until now; the user can sign in again. */
export async function revokeUserSessions(ports: UserAdminPorts, user: User): Promise<ChangeResult> {
  const changed = await ports.users.revokeSessions(user.id);
  if (!changed) return unchanged(ports.users, user);
  return { status: 'changed', user: changed, ...(await revokeAtHydra(ports, user)) };
}

/**
 * Disables the user first (sign-in and remembered logins stop at once), then revokes at Hydra,
 * then deletes. A failed revocation keeps the disabled record, so the same delete can be run
 * again; deleting first would leave no user to retry the revocation for.
 */
export async function deleteUser(ports: UserAdminPorts, user: User): Promise<DeleteResult> {
  const disabled = await ports.users.setEnabled(user.id, false);
  if (!disabled) return unchanged(ports.users, user);
  const revocation = await revokeAtHydra(ports, user);
  if (revocation.hydra === 'failed') return { status: 'disabled', user: disabled, ...revocation };
  let deleted: boolean;
  try {
    deleted = await ports.users.delete(user.id);
  } catch (error) {
    return { status: 'disabled', user: disabled, deleteError: asError(error), ...revocation };
  }
  if (!deleted) return { status: 'disabled', user: disabled, ...revocation };
  return { status: 'deleted', user, ...revocation };
}

async function revokeAtHydra(ports: UserAdminPorts, user: User): Promise<HydraRevocation> {
  if (!ports.hydra) return { hydra: 'not-asked' };
  try {
    await ports.hydra.revokeConsentSessions(user.id);
    return { hydra: 'revoked' };
  } catch (error) {
    return { hydra: 'failed', error: asError(error) };
  }
}

async function unchanged(users: UserAdminPorts['users'], user: User): Promise<Unchanged> {
  const byEmail = await users.findByIdentifier(user.email);
  const incomplete = byEmail?.id === user.id && (await users.findById(user.id)) === undefined;
  return { status: 'unchanged', user, because: incomplete ? 'incomplete' : 'gone' };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
