/**
 * A "check your inbox" answer with the address it repeats (the one typed, for its resend form)
 * left out: what must be the same for an address with an account and one without.
 */
export function withoutAddress<T>(outcome: T): T {
  const { view } = outcome as { view?: object };
  return { ...outcome, view: { ...view, email: '(the typed address)' } };
}
