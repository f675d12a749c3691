/**
 * The demo relying party of `npm start` (development only, never deployed): a "Sign in" link
 * that runs the whole flow through Hydra and our pages, then shows the ID token's claims and
 * userinfo, and a "Sign out" link for RP-initiated logout.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { UNBRANDED } from '../../shared/brand/brand';
import { html, type SafeHtml } from '../../shared/views/html';
import { layout } from '../../shared/views/layout';
import { DEFAULT_LOCALE, translator } from '../../shared/i18n/messages';
import type { PendingAuthorization, RelyingParty } from './relying-party';
import { listen } from './servers';

interface Session {
  pending?: PendingAuthorization;
  idToken?: string;
  claims?: unknown;
  userinfo?: unknown;
  error?: string;
}

export interface DemoRelyingParty {
  url: string;
  close: () => Promise<void>;
}

export async function startDemoRelyingParty(
  rp: RelyingParty,
  port: number,
): Promise<DemoRelyingParty> {
  const url = `http://127.0.0.1:${port}`;
  const sessions = new Map<string, Session>();

  function page(body: SafeHtml): string {
    return layout(translator(DEFAULT_LOCALE), 'Demo app', body, UNBRANDED).value;
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const requestUrl = new URL(request.url ?? '/', url);
      const cookie = /(?:^|;\s*)demo_rp=([A-Za-z0-9_-]+)/.exec(request.headers.cookie ?? '')?.[1];
      const id = cookie && sessions.has(cookie) ? cookie : randomBytes(16).toString('base64url');
      const session = sessions.get(id) ?? {};
      sessions.set(id, session);
      const headers = {
        'set-cookie': `demo_rp=${id}; Path=/; HttpOnly; SameSite=Lax`,
        'cache-control': 'no-store',
      };
      const send = (status: number, body: string) => {
        response.writeHead(status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
        response.end(body);
      };
      const redirectTo = (location: string) => {
        response.writeHead(302, { ...headers, location });
        response.end();
      };
      try {
        if (requestUrl.pathname === '/login') {
          session.pending = await rp.startAuthorization();
          return redirectTo(session.pending.url.href);
        }
        if (requestUrl.pathname === '/callback') {
          const pending = session.pending;
          session.pending = undefined;
          if (requestUrl.searchParams.has('error')) {
            session.error = `${requestUrl.searchParams.get('error')}: ${requestUrl.searchParams.get('error_description') ?? ''}`;
            return redirectTo('/');
          }
          if (!pending) return redirectTo('/');
          const tokens = await rp.finishAuthorization(requestUrl, pending);
          const claims = tokens.claims();
          session.idToken = tokens.id_token;
          session.claims = claims;
          session.userinfo = claims
            ? await rp.userinfo(tokens.access_token, claims.sub)
            : undefined;
          session.error = undefined;
          return redirectTo('/');
        }
        if (requestUrl.pathname === '/logout' && session.idToken) {
          const idToken = session.idToken;
          sessions.delete(id);
          return redirectTo(rp.logoutUrl(idToken, `${url}/`).href);
        }
        return send(
          200,
          page(
            html`<h1>Demo app</h1>
              ${session.error ? html`<div class="alert" role="alert">${session.error}</div>` : ''}
              ${
                session.claims
                  ? html`<p>Signed in. ID token claims:</p>
                      <pre><code>${JSON.stringify(session.claims, null, 2)}</code></pre>
                      <p>Userinfo:</p>
                      <pre><code>${JSON.stringify(session.userinfo, null, 2)}</code></pre>
                      <div class="actions"><a href="/logout">Sign out</a></div>`
                  : html`<p>
                        This page plays the application (the OAuth client) that sends you to Hydra.
                      </p>
                      <div class="actions"><a href="/login">Sign in</a></div>`
              }`,
          ),
        );
      } catch (error) {
        session.error = (error as Error).message;
        return send(
          500,
          page(
            html`<h1>Demo app</h1>
              <div class="alert">${session.error}</div>
              <a href="/">Back</a>`,
          ),
        );
      }
    })();
  });
  return { url, close: (await listen(server, port)).close };
}
