import { randomUUID } from "node:crypto";
import type { Account, NextAuthOptions, Profile, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers/index";
import { z } from "zod";
import { getDb } from "../../db/index.ts";
import { recordAudit } from "../audit/index.ts";
import { requestContext } from "../audit/request-context.ts";
import { demoLoginEnabled, type Env, readEnv, ssoConfigured } from "../config/env.ts";
import { recordAuthFailure } from "../security/throttle.ts";
import { getUser, resolveSsoUser } from "../users/queries.ts";
import { authSecret } from "./secret.ts";
import { revokeSession } from "./sessions.ts";
import { roleFromClaims } from "./sso.ts";

export const DEMO_PROVIDER_ID = "demo";
export const SSO_PROVIDER_ID = "oidc";

type OidcClaims = Profile & { sub: string; email_verified?: boolean; preferred_username?: string };

function demoProvider(): Provider {
  return CredentialsProvider({
    id: DEMO_PROVIDER_ID,
    name: "Demo",
    credentials: { userId: { label: "User", type: "text" } },
    // Demo sign-in takes a user id and no password; it only exists when demo login is enabled.
    async authorize(credentials) {
      const userId = z.uuid().safeParse(credentials?.userId);
      const user = userId.success ? await getUser(getDb(), userId.data) : null;
      if (!user || user.deactivatedAt) {
        await recordAuthFailure(getDb(), "sign-in", (await requestContext()).ip);
        return null;
      }
      return { id: user.id, name: user.name, email: user.email };
    },
  });
}

function oidcProvider(env: Env): Provider {
  const issuer = (env.OIDC_ISSUER ?? "").replace(/\/+$/, "");
  return {
    id: SSO_PROVIDER_ID,
    name: "SSO",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    // Without a secret Parley is a public client; PKCE protects the code exchange.
    client: env.OIDC_CLIENT_SECRET ? undefined : { token_endpoint_auth_method: "none" },
    authorization: { params: { scope: `openid email profile ${env.OIDC_ROLE_CLAIM}` } },
    checks: ["pkce", "state"],
    idToken: true,
    // Many providers put only `sub` in the ID token and the rest (email, name, later groups for role
    // mapping) in UserInfo; openid-client refuses a UserInfo answer whose `sub` differs from the token's.
    userinfo: {
      async request({ tokens, client }) {
        // next-auth hands over openid-client's TokenSet instance (typed as its plain fields).
        const tokenSet = tokens as Extract<Parameters<typeof client.userinfo>[0], object>;
        return { ...tokenSet.claims(), ...(await client.userinfo(tokenSet)) };
      },
    },
    profile(claims: OidcClaims) {
      return {
        id: claims.sub,
        name: claims.name ?? claims.preferred_username ?? claims.email ?? claims.sub,
        email: claims.email,
      };
    },
  };
}

/**
 * The Parley user a completed sign-in belongs to, or null to refuse it. SSO identities are matched,
 * linked or provisioned (with the role their groups map to); every outcome is audited.
 */
async function parleyUserId(user: User, account: Account, profile?: Profile): Promise<string | null> {
  const db = getDb();
  const context = await requestContext();
  if (account.provider === DEMO_PROVIDER_ID) {
    await recordAudit(db, {
      actor: { kind: "user", id: user.id },
      action: "auth.sign-in",
      detail: { provider: DEMO_PROVIDER_ID },
      context,
    });
    return user.id; // authorize() already looked it up
  }
  const claims = (profile ?? {}) as OidcClaims & Record<string, unknown>;
  const env = readEnv();
  const resolution = await resolveSsoUser(db, {
    subject: account.providerAccountId,
    // An unverified address could be anyone's; only a verified one may link or provision.
    verifiedEmail: claims.email_verified === true ? (claims.email ?? undefined) : undefined,
    name: claims.name ?? claims.preferred_username ?? claims.email ?? account.providerAccountId,
    role: roleFromClaims(claims, env),
  });
  if (resolution.outcome === "refused") {
    await recordAuthFailure(db, "sign-in", context.ip);
    await recordAudit(db, {
      actor: { kind: "system", id: null },
      action: "auth.sign-in-refused",
      detail: { provider: SSO_PROVIDER_ID, subject: account.providerAccountId, reason: resolution.reason },
      context,
    });
    return null;
  }
  const actor = { kind: "user" as const, id: resolution.user.id };
  if (resolution.outcome === "provisioned") {
    await recordAudit(db, {
      actor,
      action: "user.provision",
      target: { type: "user", id: resolution.user.id },
      detail: { role: resolution.user.role, subject: account.providerAccountId },
      context,
    });
  }
  await recordAudit(db, {
    actor,
    action: "auth.sign-in",
    detail: { provider: SSO_PROVIDER_ID, outcome: resolution.outcome },
    context,
  });
  return resolution.user.id;
}

function providers(env: Env): Provider[] {
  return [
    ...(demoLoginEnabled(env) ? [demoProvider()] : []),
    ...(ssoConfigured(env) ? [oidcProvider(env)] : []),
  ];
}

export const authOptions: NextAuthOptions = {
  providers: providers(readEnv()),
  // Read when a request needs it, so `next build` does not require AUTH_SECRET.
  get secret() {
    return authSecret();
  },
  // JWT sessions holding the user id, a session id and the user's session version: role,
  // deactivation, the version and revoked session ids are read from the database on every request
  // (lib/auth/viewer.ts), so changes take effect at once: sign-out revokes its session, deactivation
  // and a role change bump the version (every session of the user). A session lasts one shift.
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  callbacks: {
    async signIn({ user, account, profile }) {
      const id = account ? await parleyUserId(user, account, profile) : null;
      if (!id) return false;
      // next-auth hands this same object to the jwt callback: carry the Parley id, not the IdP's.
      user.id = id;
      return true;
    },
    async jwt({ token, user, account }) {
      if (!account) return token; // an existing session: the token already holds the user id
      const row = await getUser(getDb(), user.id);
      return { sub: user.id, sid: randomUUID(), sv: row?.sessionVersion ?? 0 };
    },
    session({ session, token }) {
      const sessionVersion = typeof token.sv === "number" ? token.sv : 0;
      const sessionId = typeof token.sid === "string" ? token.sid : null;
      return { expires: session.expires, user: { id: token.sub ?? "", sessionVersion, sessionId } };
    },
  },
  events: {
    // The cookie is cleared in this browser; revoking the session's id ends it for a copy of the
    // cookie too (lib/auth/sessions.ts), leaving the user's other sessions alone.
    async signOut({ token }) {
      if (typeof token?.sid === "string" && typeof token.exp === "number")
        await revokeSession(getDb(), token.sid, new Date(token.exp * 1000));
    },
  },
};
