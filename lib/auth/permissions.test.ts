import { describe, expect, it } from "vitest";
import { can, PERMISSIONS, ROLES } from "./permissions.ts";

describe("permissions", () => {
  it("let every role read conversations (scope decides which)", () => {
    for (const role of ROLES) expect(can(role, "conversations:read")).toBe(true);
  });

  it("widen the conversation scope for supervisors and admins only", () => {
    expect(can("admin", "conversations:read-all")).toBe(true);
    expect(can("supervisor", "conversations:read-all")).toBe(true);
    expect(can("agent", "conversations:read-all")).toBe(false);
  });

  it("keep administration to admins", () => {
    for (const permission of ["admin:view", "users:manage", "settings:manage"] as const) {
      expect(can("admin", permission)).toBe(true);
      expect(can("supervisor", permission)).toBe(false);
      expect(can("agent", permission)).toBe(false);
    }
  });

  it("let only supervisors and admins intervene in live conversations", () => {
    expect(can("supervisor", "monitor:intervene")).toBe(true);
    expect(can("agent", "monitor:view")).toBe(true);
    expect(can("agent", "monitor:intervene")).toBe(false);
  });

  it("show a conversation's access log to supervisors and admins, not agents", () => {
    expect(can("admin", "conversations:access-log")).toBe(true);
    expect(can("supervisor", "conversations:access-log")).toBe(true);
    expect(can("agent", "conversations:access-log")).toBe(false);
  });

  it("grant admins everything", () => {
    for (const permission of PERMISSIONS) expect(can("admin", permission)).toBe(true);
  });
});
