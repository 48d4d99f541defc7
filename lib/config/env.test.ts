import { describe, expect, it } from "vitest";
import { demoLoginEnabled, readEnv } from "./env.ts";

const sso = { OIDC_ISSUER: "https://idp.example.test", OIDC_CLIENT_ID: "parley" };

describe("demo sign-in", () => {
  it("is on in development without SSO and off once SSO is configured", () => {
    expect(demoLoginEnabled(readEnv({ NODE_ENV: "development" }))).toBe(true);
    expect(demoLoginEnabled(readEnv({ NODE_ENV: "development", ...sso }))).toBe(false);
  });

  it("is impossible in production unless explicitly enabled", () => {
    expect(demoLoginEnabled(readEnv({ NODE_ENV: "production" }))).toBe(false);
    expect(demoLoginEnabled(readEnv({ NODE_ENV: "production", PARLEY_DEMO_LOGIN: "1" }))).toBe(true);
    expect(demoLoginEnabled(readEnv({ NODE_ENV: "development", PARLEY_DEMO_LOGIN: "0" }))).toBe(false);
  });

  it("treats an empty variable as unset and refuses malformed values", () => {
    expect(
      demoLoginEnabled(readEnv({ NODE_ENV: "development", OIDC_ISSUER: "", PARLEY_DEMO_LOGIN: "" })),
    ).toBe(true);
    expect(() => readEnv({ PARLEY_DEMO_LOGIN: "yes" })).toThrow(/PARLEY_DEMO_LOGIN/);
    expect(() => readEnv({ PORT: "70000" })).toThrow(/PORT/);
  });
});
