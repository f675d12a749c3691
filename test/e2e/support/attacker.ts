/**
 * An attacker without a browser: plain HTTP from a chosen loopback address (127.0.0.0/8 is all
 * this machine's), so that our functions under serverless offline see it as another source IP.
 * It gets a sign-in form the way anyone can (start an authorization at Hydra, GET our page, keep
 * the CSRF cookie and token) and then posts guesses with it.
 */
import { request } from 'node:http';
import type { RelyingParty } from '../../../scripts/lib/relying-party';
import type { Stack } from './stack';

export interface AttackerForm {
  challenge: string;
  csrfToken: string;
  cookie: string;
}

interface Answer {
  status: number;
  location: string | undefined;
  setCookies: string[];
  body: string;
}

function send(
  url: URL,
  from: string,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method,
        localAddress: from,
        headers: options.headers,
        timeout: 20_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            location: response.headers.location,
            setCookies: response.headers['set-cookie'] ?? [],
            body,
          }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer from ${url.pathname}`)));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** One sign-in form, fetched from `from` (e.g. 127.0.0.2), for the client of `rp`. */
export async function attackerForm(
  stack: Stack,
  rp: RelyingParty,
  from: string,
): Promise<AttackerForm> {
  const pending = await rp.startAuthorization();
  const atHydra = await send(pending.url, from, { method: 'GET' });
  if (!atHydra.location) throw new Error(`Hydra answered ${atHydra.status} without a redirect`);
  const loginUrl = new URL(atHydra.location, pending.url);
  const page = await send(loginUrl, from, { method: 'GET' });
  const csrfToken = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const cookie = page.setCookies.map((line) => line.split(';')[0]).join('; ');
  const challenge = loginUrl.searchParams.get('login_challenge');
  if (page.status !== 200 || !csrfToken || !cookie || !challenge) {
    throw new Error(`our sign-in page answered ${page.status} without a usable form`);
  }
  return { challenge, csrfToken, cookie };
}

/** Posts one guess with the form, from `from`; the status our function answered. */
export async function guess(
  stack: Stack,
  form: AttackerForm,
  from: string,
  credentials: { email: string; password: string },
): Promise<number> {
  const body = new URLSearchParams({
    challenge: form.challenge,
    csrf: form.csrfToken,
    identifier: credentials.email,
    password: credentials.password,
    action: 'login',
  }).toString();
  const answer = await send(new URL('/login', stack.appUrl), from, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      cookie: form.cookie,
    },
    body,
  });
  return answer.status;
}
