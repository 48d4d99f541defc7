import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret } from "./lib/auth/secret.ts";
import { foreignServerAction } from "./lib/security/action-origin.ts";
import { contentSecurityPolicy, newNonce } from "./lib/security/headers.ts";

// For pages only: a cross-site server action is a 403 (lib/security/action-origin.ts); every page
// gets a Content-Security-Policy with a fresh nonce (Next reads it from the request's header and
// puts it on its scripts; pages are rendered per request); signed-out visitors are sent to the
// sign-in page. Every page, action and route handler still checks the viewer itself (the session
// may name a user who has since been deactivated or signed out). scripts/web.ts adds the headers
// every response carries (nosniff, Referrer-Policy, HSTS).
export async function proxy(request: NextRequest) {
  if (foreignServerAction(request.method, request.headers))
    return NextResponse.json({ error: "Cross-site server action refused" }, { status: 403 });
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development" });
  const { pathname, search } = request.nextUrl;
  let response: NextResponse;
  const signInPage = pathname === "/sign-in" || pathname.startsWith("/sign-in/");
  const token = signInPage ? null : await getToken({ req: request, secret: authSecret() });
  if (signInPage || token?.sub) {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers } });
  } else {
    const signIn = new URL("/sign-in", request.url);
    if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
    response = NextResponse.redirect(signIn);
  }
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Not for: /api/* (route handlers answer 401 themselves, and API clients use keys rather than
  // sessions), Next's own assets, and files from public/.
  matcher: ["/((?!api/|_next/|favicon\\.ico|.*\\.[A-Za-z0-9]+$).*)"],
};
