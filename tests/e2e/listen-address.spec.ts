import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { ssoBaseURL } from "../../playwright.config.ts";

// Read with `ss` (iproute2), not by connecting: tests only ever talk to loopback addresses.
function listeningAddresses(port: number): string[] {
  const out = execFileSync("ss", ["-Hltn", `sport = :${port}`], { encoding: "utf8" });
  // Columns: State Recv-Q Send-Q Local:Port Peer:Port
  return out
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => (line.trim().split(/\s+/)[3] ?? "").replace(/:\d+$/, ""));
}

test("with the password-less demo sign-in on, npm start listens on loopback only", ({ baseURL }) => {
  const port = Number(new URL(baseURL ?? "").port);
  expect(listeningAddresses(port)).toEqual(["127.0.0.1"]);
});

test("with SSO (no demo sign-in), npm start listens on every interface", () => {
  const port = Number(new URL(ssoBaseURL).port);
  expect(listeningAddresses(port)).toEqual(["0.0.0.0"]);
});
