/**
 * Where to send a browser whose remembered sign-in no longer counts: the client's own
 * authorization request again, at Hydra, with `prompt=login`, so that Hydra asks for a fresh
 * sign-in in place of the old one (and replaces its session cookie). Hydra's session itself is
 * never deleted here: deleting a session whose cookie a browser still holds breaks that
 * browser's next sign-in inside Hydra (ory/hydra#3371). Undefined when the client asked for no
 * interaction (`prompt=none`: it gets `login_required`) or the URL is not one we can follow.
 */
export function freshSignInUrl(requestUrl: string | undefined): string | undefined {
  if (!requestUrl) return undefined;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const prompts = (url.searchParams.get('prompt') ?? '').split(' ').filter(Boolean);
  if (prompts.includes('none')) return undefined;
  url.searchParams.set('prompt', [...new Set([...prompts, 'login'])].join(' '));
  return url.href;
}
