// An OpenID Connect provider for tests/api/external.rs: oidc-provider (the certified Node
// implementation) with its development interactions, where any login name signs in as the
// account of that name. Its email claim is the name; a name starting "unverified" has an
// unverified address.
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI [MODE]
// MODE "tamper" changes the ID token's payload on its way out of the token endpoint, leaving
// the signature as it was; "nonce", "issuer", "audience" and "expired" change that claim and
// sign the token again with the provider's own key (a valid signature on a token that
// must still be refused), "resigned" signs it again unchanged (which must be accepted, so
// that the others fail for their claim); "userinfo" keeps the email claims out of the ID token (OpenID
// Connect's default), so they are only in userinfo; "post-only" takes the client's secret in the
// token request's form only (client_secret_post), as its metadata says. Each start makes a new key
// with a new kid, so a restart is a key rotation. Prints "listening" once it serves.
import Provider from "oidc-provider";
import * as jose from "jose";

const [port, clientId, clientSecret, redirectUri, mode] = process.argv.slice(2);
// The provider's signing key, made here so that a changed token can be signed again with it.
const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
const kid = `key-${Date.now()}-${Math.random().toString(36).slice(2)}`;
const signingKey = { ...(await jose.exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
const postOnly = mode === "post-only";
const provider = new Provider(`http://127.0.0.1:${port}`, {
  jwks: { keys: [signingKey] },
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: postOnly ? "client_secret_post" : "client_secret_basic",
  }],
  ...(postOnly ? { clientAuthMethods: ["client_secret_post"] } : {}),
  claims: { openid: ["sub"], email: ["email", "email_verified"] },
  // The ID token carries the email claim itself, not only userinfo (unless told otherwise).
  conformIdTokenClaims: mode === "userinfo",
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: !id.startsWith("unverified") };
      },
    };
  },
});

// oidc-provider takes Basic whatever the client registered; the provider the interop report
// met (pyop) refused it so, and so does this one in "post-only" mode.
if (postOnly) {
  provider.use(async (ctx, next) => {
    if (ctx.path === "/token" && ctx.get("authorization")) {
      ctx.status = 401;
      ctx.body = { error: "invalid_client", error_description: "Wrong authentication method used" };
      return;
    }
    await next();
  });
}

if (mode === "tamper") {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === "/token" && ctx.body && ctx.body.id_token) {
      const [header, payload, signature] = ctx.body.id_token.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url"));
      claims.sub = "someone-else";
      ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".") };
    }
  });
}

const now = () => Math.floor(Date.now() / 1000);
const rewrites = {
  resigned: () => {},
  nonce: (claims) => { claims.nonce = "not-the-nonce-that-was-sent"; },
  issuer: (claims) => { claims.iss = "http://127.0.0.1:1"; },
  audience: (claims) => { claims.aud = "another-client"; },
  expired: (claims) => { claims.iat = now() - 3600; claims.exp = now() - 1800; },
};
if (rewrites[mode]) {
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === "/token" && ctx.body && ctx.body.id_token) {
      const claims = jose.decodeJwt(ctx.body.id_token);
      rewrites[mode](claims);
      const resigned = await new jose.SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
      ctx.body = { ...ctx.body, id_token: resigned };
    }
  });
}

provider.listen(Number(port), "127.0.0.1", () => console.log("listening"));
