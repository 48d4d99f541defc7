import { describe, expect, it } from "vitest";
import { requestContextOf } from "../audit/request-context.ts";
import { CLIENT_ADDRESS_HEADER, clientOf, parseTrustedProxies } from "./client-address.ts";
import { contentSecurityPolicy, strictTransportSecurity } from "./headers.ts";

const plain = { address: "198.51.100.20", encrypted: false };

describe("clientOf", () => {
  it("ignores X-Forwarded-For and X-Forwarded-Proto from anyone when no proxy is configured", () => {
    const none = parseTrustedProxies(undefined);
    expect(clientOf(plain, { forwardedFor: "203.0.113.7", forwardedProto: "https" }, none)).toEqual({
      address: "198.51.100.20",
      proto: "http",
    });
  });

  it("believes the chain only hop by hop through configured proxies", () => {
    const proxies = parseTrustedProxies("10.0.0.0/8, 192.0.2.1");
    const viaProxy = { address: "10.1.2.3", encrypted: false };
    // The client wrote 203.0.113.7 itself; the proxies appended the real address.
    expect(
      clientOf(
        viaProxy,
        { forwardedFor: "203.0.113.7, 198.51.100.9, 192.0.2.1", forwardedProto: "https" },
        proxies,
      ),
    ).toEqual({
      address: "198.51.100.9",
      proto: "https",
    });
    expect(clientOf(plain, { forwardedFor: "203.0.113.7" }, proxies).address).toBe("198.51.100.20");
    expect(
      clientOf({ address: "::ffff:10.0.0.1", encrypted: false }, { forwardedFor: "garbage" }, proxies)
        .address,
    ).toBeNull();
  });

  it("refuses entries that are not addresses or ranges", () => {
    expect(() => parseTrustedProxies("proxy.local")).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow(/CIDR/);
  });
});

describe("the audit log's address", () => {
  it("comes from the web server's header, never from X-Forwarded-For or X-Real-IP", () => {
    const spoofed = new Headers({ "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8" });
    expect(requestContextOf(spoofed).ip).toBeNull();
    spoofed.set(CLIENT_ADDRESS_HEADER, "198.51.100.20");
    expect(requestContextOf(spoofed).ip).toBe("198.51.100.20");
  });
});

describe("security headers", () => {
  it("allow scripts by nonce only, and no framing", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });

  it("send HSTS over HTTPS only", () => {
    expect(strictTransportSecurity("https://parley.example", "http")).toMatch(/max-age=\d+/);
    expect(strictTransportSecurity("http://localhost:3000", "https")).toMatch(/max-age=\d+/);
    expect(strictTransportSecurity(undefined, "http")).toBeNull();
  });
});
