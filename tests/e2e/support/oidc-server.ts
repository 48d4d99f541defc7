// A real OpenID Connect provider on 127.0.0.1 for the SSO tests (oidc-provider with its
// development login form: any login name signs in as that account). Accounts whose name
// starts with "admin", "super" or "agent" carry the matching `groups` claim; others carry none.
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 3190);
const appUrl = process.env.APP_URL ?? "http://localhost:3101";
const issuer = `http://127.0.0.1:${port}`;

function groupsFor(login: string): string[] {
  if (login.startsWith("admin")) return ["parley-admins"];
  if (login.startsWith("super")) return ["parley-supervisors"];
  if (login.startsWith("agent")) return ["parley-agents"];
  return [];
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "parley-e2e",
      client_secret: "parley-e2e-secret",
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      post_logout_redirect_uris: [`${appUrl}/sign-in`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  scopes: ["openid", "email", "profile", "groups"],
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: id,
      email: `${id}@sso.example.test`,
      email_verified: true,
      name: id
        .split(/[-_.]/)
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(" "),
      groups: groupsFor(id),
    }),
  }),
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["parley-e2e-oidc-cookie-key"] },
});
provider.proxy = false;

const server = provider.listen(port, "127.0.0.1", () => console.log(`[oidc] issuer ${issuer}`));
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
