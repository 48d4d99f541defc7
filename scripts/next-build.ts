// The production build `npm start` and the HTTP bench share: `next build` runs only when there is
// no build or a source file changed since the last one (a stamp of the sources' hash in .next).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Runs `next build` when there is no build or any source file changed since the last one. */
export function buildIfNeeded(log: (line: string) => void): void {
  const stamp = path.join(root, ".next", "parley-source-hash");
  const hash = sourceHash();
  if (
    existsSync(path.join(root, ".next", "BUILD_ID")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8") === hash
  ) {
    return;
  }
  log("building the web app (first start or sources changed)…");
  const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: process.env,
  });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(stamp, hash);
}

function sourceHash(): string {
  const hash = createHash("sha256");
  const entries = [
    "app",
    "components",
    "lib",
    "db",
    "public",
    "proxy.ts",
    "next.config.mjs",
    "postcss.config.mjs",
    "tsconfig.json",
    "package-lock.json",
  ];
  const visit = (rel: string) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(path.join(rel, name));
    } else {
      hash.update(rel).update("\0").update(readFileSync(abs)).update("\0");
    }
  };
  for (const entry of entries) visit(entry);
  return hash.digest("hex");
}
