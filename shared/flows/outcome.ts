import type { KnownDevice } from '../throttle/throttle';

/** What a flow decided: send the browser on (to a URL Hydra gave us), or show a page. */
export interface Redirect {
  kind: 'redirect';
  to: string;
  /** After a sign-in: the browser is to remember this device (its device cookie). */
  device?: KnownDevice;
}

export interface Show<View> {
  kind: 'show';
  status: number;
  view: View;
  headers?: Record<string, string>;
}

export type Outcome<View> = Redirect | Show<View>;

export const redirect = (to: string): Redirect => ({ kind: 'redirect', to });

export const show = <View>(
  view: View,
  status = 200,
  headers?: Record<string, string>,
): Show<View> => ({ kind: 'show', status, view, ...(headers ? { headers } : {}) });
