import type { MessagePageView } from './pages';

const MAX_TEXT = 500;

function clip(text: string | undefined): string | undefined {
  if (!text) return undefined;
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Hydra's error redirect (`error`, `error_description`, `error_hint`) as a message page. */
export function hydraErrorView(input: {
  error: string | undefined;
  description: string | undefined;
  hint: string | undefined;
}): MessagePageView {
  const description = clip(input.description);
  const hint = clip(input.hint);
  return {
    title: 'Sign-in could not be completed',
    message: [
      description ?? 'The sign-in request could not be completed.',
      hint,
      'Go back to the application and try again.',
    ]
      .filter(Boolean)
      .join(' '),
    detail: clip(input.error),
  };
}
