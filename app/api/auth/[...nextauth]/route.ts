import NextAuth from "next-auth";
import { getDb } from "@/db/index";
import { requestContextOf } from "@/lib/audit/request-context";
import { authOptions } from "@/lib/auth/options";
import { retryAfterSeconds, tooManyAttempts } from "@/lib/security/throttle";

const handler = NextAuth(authOptions);

// A sign-in completes at /api/auth/callback/<provider> (the demo's POST, SSO's GET): an address
// with too many refused sign-ins is answered 429 there before anything is looked up. The refusals
// are counted where they happen (lib/auth/options.ts).
async function throttled(request: Request, context: unknown) {
  if (new URL(request.url).pathname.startsWith("/api/auth/callback/")) {
    const wait = await retryAfterSeconds(getDb(), "sign-in", requestContextOf(request.headers).ip);
    if (wait !== null)
      return tooManyAttempts(wait, { error: `Too many failed sign-ins. Try again in ${wait} s.` });
  }
  return handler(request, context);
}

export { throttled as GET, throttled as POST };
