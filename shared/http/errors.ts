import type { MessagePageView } from '../views/pages';

/** A client mistake or a refusal, shown as a page with this status. Nothing was changed. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly page: MessagePageView,
    readonly headers: Record<string, string> = {},
  ) {
    super(page.title);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) =>
  new HttpError(400, { title: 'Bad request', message });

export const forbidden = (message: string) => new HttpError(403, { title: 'Not allowed', message });

export const SIGN_IN_EXPIRED: MessagePageView = {
  title: 'This link has expired',
  message:
    'This sign-in request has expired or is invalid. Go back to the application and try again.',
};
