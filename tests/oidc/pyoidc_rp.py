"""A confidential relying party built on pyoidc (the `oic` package), run by
tests/api/oidc.rs around the browser's part:

    python3 pyoidc_rp.py ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI

prints the authorization URL, reads the URL the browser came back to on stdin, then
prints JSON: the ID token's claims (pyoidc checks its signature against the JWKS, iss,
aud, exp and nonce), userinfo fetched with the token in a POST body (RFC 6750 §2.2),
the revocation answer and userinfo afterwards. Warnings pyoidc logs (an unknown key type
in the JWKS, say) go to stderr, which the test reads.
"""

import json
import logging
import sys

from oic import rndstr
from oic.extension.client import Client as OAuth2Client
from oic.oic import Client
from oic.oic.message import AuthorizationResponse, RegistrationResponse
from oic.utils.authn.client import CLIENT_AUTHN_METHOD

logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")

issuer, client_id, client_secret, redirect_uri = sys.argv[1:5]
registration = RegistrationResponse(client_id=client_id, client_secret=client_secret, redirect_uris=[redirect_uri])

client = Client(client_authn_method=CLIENT_AUTHN_METHOD)
client.provider_config(issuer)
client.store_registration_info(registration)

state, nonce = rndstr(), rndstr()
pkce, verifier = client.add_code_challenge()
request = client.construct_AuthorizationRequest(
    request_args={
        "client_id": client_id,
        "response_type": "code",
        "scope": ["openid", "email", "profile"],
        "nonce": nonce,
        "redirect_uri": redirect_uri,
        "state": state,
        **pkce,
    }
)
print(request.request(client.authorization_endpoint), flush=True)

callback = sys.stdin.readline().strip()
answer = client.parse_response(AuthorizationResponse, info=callback.split("?", 1)[1], sformat="urlencoded")
assert answer["state"] == state, "the state came back"
tokens = client.do_access_token_request(
    state=state,
    request_args={"code": answer["code"], "redirect_uri": redirect_uri, "code_verifier": verifier},
    authn_method="client_secret_basic",
)
claims = tokens["id_token"].to_dict()
assert claims["nonce"] == nonce, "the nonce came back"
userinfo = client.do_user_info_request(state=state, method="POST", behavior="token_in_message_body")

# Revocation is in pyoidc's OAuth 2.0 extension client.
oauth = OAuth2Client(client_authn_method=CLIENT_AUTHN_METHOD)
oauth.provider_info = client.provider_info
oauth.handle_provider_config(client.provider_info, issuer)
oauth.store_registration_info(registration)
revoked = oauth.do_token_revocation(
    request_args={"token": tokens["access_token"], "token_type_hint": "access_token"},
    authn_method="client_secret_basic",
)
after = client.do_user_info_request(state=state, method="POST", behavior="token_in_message_body")

print(
    json.dumps(
        {
            "claims": claims,
            "userinfo": userinfo.to_dict(),
            "revoked": revoked if isinstance(revoked, int) else str(revoked),
            "userinfo_after_revocation": after.to_dict(),
        }
    )
)
