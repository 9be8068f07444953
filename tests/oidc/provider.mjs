// An OpenID Connect provider for tests/api/external.rs: oidc-provider (the certified Node
// implementation) with its development interactions, where any login name signs in as the
// account of that name. Its email claim is the name; a name starting "unverified" has an
// unverified address.
//   node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI [tamper|userinfo]
// "tamper" changes the ID token's payload on its way out of the token endpoint, leaving the
// signature as it was; "userinfo" keeps the email claims out of the ID token (OpenID
// Connect's default), so they are only in userinfo. Prints "listening" once it serves.
import Provider from "oidc-provider";

const [port, clientId, clientSecret, redirectUri, mode] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri] }],
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

provider.listen(Number(port), "127.0.0.1", () => console.log("listening"));
