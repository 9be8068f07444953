// A relying party built on openid-client (the certified OpenID Connect library for Node),
// run by tests/api/oidc.rs in two steps around the browser's part:
//   node rp.mjs start  ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI STATE_FILE  -> prints the authorization URL
//   node rp.mjs finish ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI STATE_FILE CALLBACK_URL -> prints JSON
// The library does discovery, PKCE, the code grant, ID token validation against the JWKS
// (signature, iss, aud, exp, nonce), userinfo, refresh, revocation and the logout URL.
import { readFileSync, writeFileSync } from "node:fs";
import * as oidc from "openid-client";

const [step, issuer, clientId, clientSecret, redirectUri, stateFile, callback] = process.argv.slice(2);
// Loopback http, as the library asks to be told.
const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, {
  execute: [oidc.allowInsecureRequests],
});

if (step === "start") {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  writeFileSync(stateFile, JSON.stringify({ verifier, state, nonce }));
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: "openid email roles offline_access",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  console.log(url.href);
} else if (step === "finish") {
  const { verifier, state, nonce } = JSON.parse(readFileSync(stateFile, "utf8"));
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  await oidc.tokenRevocation(config, refreshed.refresh_token, { token_type_hint: "refresh_token" });
  let afterRevocation;
  try {
    await oidc.refreshTokenGrant(config, refreshed.refresh_token);
    afterRevocation = "accepted";
  } catch (error) {
    afterRevocation = error.error ?? String(error);
  }
  const logout = oidc.buildEndSessionUrl(config, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: redirectUri,
    state: "bye",
  });
  console.log(JSON.stringify({
    claims,
    userinfo,
    refreshed_sub: refreshed.claims()?.sub,
    refresh_rotated: refreshed.refresh_token !== tokens.refresh_token,
    after_revocation: afterRevocation,
    logout: logout.href,
  }));
} else {
  throw new Error(`unknown step ${step}`);
}
