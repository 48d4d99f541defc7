import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { authSecret } from "./lib/auth/secret.ts";

// Sends signed-out visitors to the sign-in page; nothing more. Every page, action and route handler
// still checks the viewer itself (the session may name a user who has since been deactivated).
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: authSecret() });
  if (token?.sub) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const { pathname, search } = request.nextUrl;
  if (pathname !== "/") signIn.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Not for: the sign-in page, /api/* (route handlers answer 401 themselves, and API clients use keys
  // rather than sessions), Next's own assets, and files from public/.
  matcher: ["/((?!sign-in|api/|_next/|favicon\\.ico|.*\\.[A-Za-z0-9]+$).*)"],
};
