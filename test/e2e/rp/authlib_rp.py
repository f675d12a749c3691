"""A second relying party for the end-to-end tests, written with Python Authlib (not openid-client).

A step-by-step command line that test/e2e/interop.test.ts drives, one step per run, while chromium
does the browser's part. The relying party's own storage (the pending authorization, the tokens)
is a JSON file of the test's; each step prints what it found as one JSON object on stdout for the
test to assert on. Tokens stay in the file: only their claims are printed.

Steps:
  begin     --store F [--prompt P] [--id-token-hint]   the authorization URL (code, PKCE S256,
                                                       state, nonce); --id-token-hint sends the
                                                       stored ID token
  finish    --store F --callback URL                   state checked, code exchanged with the
                                                       verifier, ID token validated, userinfo
  refresh   --store F                                  refresh grant, rotation, new ID token
                                                       validated against the first one
  tampered  --store F                                  the stored ID token validated with a wrong
                                                       nonce, access token, audience and issuer:
                                                       which checks refused it
  logout    --store F --post-logout-redirect-uri U     the RP-initiated logout URL

Discovery, client id, secret and redirect URI come from the environment: RP_ISSUER,
RP_CLIENT_ID, RP_CLIENT_SECRET, RP_REDIRECT_URI.

ID tokens are validated strictly: the signature against Hydra's JWKS (only the algorithms
discovery names, keys by kid), then Authlib's CodeIDToken with `iss` equal to the issuer, `aud`
containing the client id, `exp`, `iat`, `sub`, `nonce` equal to the one sent, `at_hash` present
and matching the access token; `azp`, `amr` and `auth_time` as Authlib checks them.
"""

import argparse
import json
import os
import sys

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

LEEWAY_SECONDS = 5


def settings():
    return {
        "issuer": os.environ["RP_ISSUER"],
        "client_id": os.environ["RP_CLIENT_ID"],
        "client_secret": os.environ["RP_CLIENT_SECRET"],
        "redirect_uri": os.environ["RP_REDIRECT_URI"],
    }


def load(path):
    try:
        with open(path, encoding="utf-8") as file:
            return json.load(file)
    except FileNotFoundError:
        return {}


def save(path, store):
    with open(path, "w", encoding="utf-8") as file:
        json.dump(store, file)


def session(config, **kwargs):
    return OAuth2Session(
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        token_endpoint_auth_method="client_secret_basic",
        redirect_uri=config["redirect_uri"],
        scope="openid profile email address phone offline_access",
        code_challenge_method="S256",
        **kwargs,
    )


def discover(config):
    """The discovery document and the JWKS, checked to be the issuer's own."""
    with session(config) as http:
        metadata = http.get(
            config["issuer"].rstrip("/") + "/.well-known/openid-configuration",
            withhold_token=True,
            timeout=10,
        )
        metadata.raise_for_status()
        metadata = metadata.json()
        if metadata.get("issuer") != config["issuer"]:
            raise SystemExit(f"discovery names another issuer: {metadata.get('issuer')}")
        jwks = http.get(metadata["jwks_uri"], withhold_token=True, timeout=10)
        jwks.raise_for_status()
        return metadata, jwks.json()


def validate_id_token(metadata, jwks, config, id_token, nonce, access_token, audience=None):
    """Authlib's ID token validation, with every check we rely on made essential."""
    key_set = KeySet.import_key_set(jwks)
    token = jwt.decode(
        id_token, key_set, algorithms=metadata["id_token_signing_alg_values_supported"]
    )
    options = {
        "iss": {"essential": True, "value": metadata["issuer"]},
        "aud": {"essential": True, "value": audience or config["client_id"]},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "at_hash": {"essential": True},
    }
    params = {"client_id": audience or config["client_id"], "access_token": access_token}
    if nonce is not None:
        options["nonce"] = {"essential": True, "value": nonce}
        params["nonce"] = nonce
    claims = CodeIDToken(token.claims, token.header, options, params)
    claims.validate(leeway=LEEWAY_SECONDS)
    return dict(claims)


def begin(args, config):
    store = load(args.store)
    metadata, _ = discover(config)
    state = generate_token(24)
    nonce = generate_token(24)
    code_verifier = generate_token(64)
    extra = {"nonce": nonce}
    if args.prompt:
        extra["prompt"] = args.prompt
    if args.id_token_hint:
        extra["id_token_hint"] = store["tokens"]["id_token"]
    with session(config) as http:
        url, _ = http.create_authorization_url(
            metadata["authorization_endpoint"], state=state, code_verifier=code_verifier, **extra
        )
    store["pending"] = {"state": state, "nonce": nonce, "code_verifier": code_verifier}
    save(args.store, store)
    return {"url": url, "state": state}


def finish(args, config):
    store = load(args.store)
    pending = store.pop("pending")
    metadata, jwks = discover(config)
    with session(config, state=pending["state"]) as http:
        token = http.fetch_token(
            metadata["token_endpoint"],
            authorization_response=args.callback,
            code_verifier=pending["code_verifier"],
            timeout=10,
        )
        claims = validate_id_token(
            metadata, jwks, config, token["id_token"], pending["nonce"], token["access_token"]
        )
        userinfo = http.get(metadata["userinfo_endpoint"], timeout=10)
        userinfo.raise_for_status()
        userinfo = userinfo.json()
    if userinfo.get("sub") != claims["sub"]:
        raise SystemExit("userinfo is about another subject")
    store["tokens"] = dict(token)
    store["claims"] = claims
    save(args.store, store)
    return {
        "claims": claims,
        "userinfo": userinfo,
        "scope": token.get("scope", "").split(),
        "refresh_token": "refresh_token" in token,
    }


def refresh(args, config):
    store = load(args.store)
    metadata, jwks = discover(config)
    before = store["tokens"]
    with session(config) as http:
        token = http.refresh_token(
            metadata["token_endpoint"], refresh_token=before["refresh_token"], timeout=10
        )
    # OIDC Core 12.2: no nonce on refresh; same iss, sub, aud as the first ID token.
    claims = validate_id_token(
        metadata, jwks, config, token["id_token"], None, token["access_token"]
    )
    first = store["claims"]
    store["tokens"] = dict(token)
    save(args.store, store)
    return {
        "claims": claims,
        "same_subject": claims["sub"] == first["sub"] and claims["iss"] == first["iss"],
        "rotated": token.get("refresh_token") not in (None, before["refresh_token"]),
        "new_access_token": token["access_token"] != before["access_token"],
    }


def with_other_signature(id_token):
    """The same header and claims, one character of the signature changed."""
    header, payload, signature = id_token.split(".")
    other = "B" if signature[10] == "A" else "A"
    return ".".join([header, payload, signature[:10] + other + signature[11:]])


def tampered(args, config):
    """Which checks refuse the stored ID token when one expectation is wrong."""
    store = load(args.store)
    metadata, jwks = discover(config)
    tokens = store["tokens"]
    nonce = store["claims"].get("nonce")
    cases = {
        "nonce": dict(nonce="another-nonce"),
        "at_hash": dict(access_token=tokens["access_token"] + "x"),
        "aud": dict(audience="another-client"),
        "iss": dict(issuer=metadata["issuer"] + "/other"),
        "signature": dict(id_token=with_other_signature(tokens["id_token"])),
    }
    refused = {}
    for name, change in cases.items():
        meta = dict(metadata, issuer=change.get("issuer", metadata["issuer"]))
        try:
            validate_id_token(
                meta,
                jwks,
                config,
                change.get("id_token", tokens["id_token"]),
                change.get("nonce", nonce),
                change.get("access_token", tokens["access_token"]),
                change.get("audience"),
            )
            refused[name] = None
        except JoseError as error:
            refused[name] = error.error
    # And the untouched token still passes, so the refusals above are the changes' doing.
    validate_id_token(metadata, jwks, config, tokens["id_token"], nonce, tokens["access_token"])
    return {"refused": refused}


def logout(args, config):
    store = load(args.store)
    metadata, _ = discover(config)
    state = generate_token(24)
    url = add_params_to_uri(
        metadata["end_session_endpoint"],
        {
            "id_token_hint": store["tokens"]["id_token"],
            "post_logout_redirect_uri": args.post_logout_redirect_uri,
            "state": state,
        },
    )
    return {"url": url, "state": state}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    for name in ("begin", "finish", "refresh", "tampered", "logout"):
        step = steps.add_parser(name)
        step.add_argument("--store", required=True)
        if name == "begin":
            step.add_argument("--prompt")
            step.add_argument("--id-token-hint", action="store_true")
        if name == "finish":
            step.add_argument("--callback", required=True)
        if name == "logout":
            step.add_argument("--post-logout-redirect-uri", required=True)
    args = parser.parse_args()
    config = settings()
    step = {
        "begin": begin,
        "finish": finish,
        "refresh": refresh,
        "tampered": tampered,
        "logout": logout,
    }
    try:
        result = step[args.step](args, config)
    except JoseError as error:
        # A refused ID token: say which check, never the token.
        print(json.dumps({"error": error.error, "description": error.description}))
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
