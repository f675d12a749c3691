import type { Text } from '../i18n/messages';
import type { MessagePageView } from '../views/pages';

/** A client mistake or a refusal, shown as a page with this status. Nothing was changed. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly page: MessagePageView,
    readonly headers: Record<string, string> = {},
  ) {
    super(page.title.key);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: Text) =>
  new HttpError(400, { title: { key: 'error.badRequest.title' }, message });

export const forbidden = (message: Text) =>
  new HttpError(403, { title: { key: 'error.forbidden.title' }, message });

export const SIGN_IN_EXPIRED: MessagePageView = {
  title: { key: 'error.expired.title' },
  message: { key: 'error.expired.message' },
};
