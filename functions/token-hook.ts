import { decideTokenHook } from '../shared/flows/token-hook';
import { requireApiKey, TOKEN_HOOK_KEY_HEADER } from '../shared/http/api-key';
import { jsonRoute } from '../shared/http/pipeline';
import { jsonResponse } from '../shared/http/response';
import { tokenHookDeps, type TokenHookRouteDeps } from '../shared/wiring';

/** Hydra's token bodies are about 1 KB; far more is not Hydra. */
export const TOKEN_HOOK_MAX_BODY_BYTES = 64 * 1024;

/** POST /token-hook: Hydra asks before it issues tokens (every grant); JSON in, JSON out. */
export const tokenHook = (deps: TokenHookRouteDeps) =>
  jsonRoute('POST', TOKEN_HOOK_MAX_BODY_BYTES, deps, async (request, deps) => {
    // The key first: nothing of an unauthenticated body is read.
    requireApiKey(
      request.headers,
      TOKEN_HOOK_KEY_HEADER,
      deps.tokenHookApiKey,
      'TOKEN_HOOK_API_KEY',
    );
    const decision = await decideTokenHook(deps, request.json());
    return jsonResponse(decision.status, 'body' in decision ? decision.body : undefined);
  });

export const handler = tokenHook(tokenHookDeps());
