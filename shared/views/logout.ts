import type { LogoutView } from '../flows/logout';
import type { SafeHtml } from './html';
import { logoutPage, messagePage } from './pages';

export function logoutView(
  view: LogoutView,
  form: { challenge: string; csrfToken: string },
): SafeHtml {
  if (view.page === 'stayed') {
    return messagePage({
      title: 'You are still signed in',
      message:
        'You chose to stay signed in. You can close this page and go back to the application.',
    });
  }
  return logoutPage({ ...form, clientName: view.clientName });
}
