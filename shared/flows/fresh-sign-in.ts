/**
 * The client's own authorization request again, at Hydra, with `prompt` added to its prompt
 * values and nothing else changed (its state, nonce and PKCE challenge travel with it, so the
 * client takes the answer as its own). Undefined when the client asked for no interaction
 * (`prompt=none`) or the URL is not one we can follow.
 */
export function requestAgainWithPrompt(
  requestUrl: string | undefined,
  prompt: 'login' | 'consent',
): string | undefined {
  if (!requestUrl) return undefined;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const prompts = promptsOf(url);
  if (prompts.includes('none')) return undefined;
  url.searchParams.set('prompt', [...new Set([...prompts, prompt])].join(' '));
  return url.href;
}

/** The prompt values of an authorization request (`prompt`, space-separated). */
export function promptsOf(url: URL): string[] {
  return (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
}

/**
 * Where to send a browser whose remembered sign-in no longer counts: the client's own
 * authorization request again, at Hydra, with `prompt=login`, so that Hydra asks for a fresh
 * sign-in in place of the old one (and replaces its session cookie). Hydra's session itself is
 * never deleted here: deleting a session whose cookie a browser still holds breaks that
 * browser's next sign-in inside Hydra (ory/hydra#3371). Undefined when the client asked for no
 * interaction (`prompt=none`: it gets `login_required`) or the URL is not one we can follow.
 */
export function freshSignInUrl(requestUrl: string | undefined): string | undefined {
  return requestAgainWithPrompt(requestUrl, 'login');
}
