import { describe, expect, it } from "vitest";
import { demoLoginEnabled, listenHost, readEnv } from "./env.ts";

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

describe("listen address", () => {
  it("is loopback while the password-less demo sign-in is on, unless HOST says otherwise", () => {
    expect(listenHost(readEnv({ PARLEY_DEMO_LOGIN: "1" })).host).toBe("127.0.0.1");
    expect(listenHost(readEnv({ NODE_ENV: "development" })).host).toBe("127.0.0.1");
    expect(listenHost(readEnv({ PARLEY_DEMO_LOGIN: "1", HOST: "0.0.0.0" })).host).toBe("0.0.0.0");
    expect(listenHost(readEnv({ PARLEY_DEMO_LOGIN: "1" })).reason).toMatch(/HOST=0\.0\.0\.0/);
  });

  it("is every interface without the demo sign-in", () => {
    expect(listenHost(readEnv({ NODE_ENV: "production" })).host).toBe("0.0.0.0");
    expect(listenHost(readEnv({ NODE_ENV: "development", ...sso })).host).toBe("0.0.0.0");
    expect(listenHost(readEnv({ NODE_ENV: "production", HOST: "10.0.0.5" })).host).toBe("10.0.0.5");
  });
});
