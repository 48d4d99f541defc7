import "next-auth";

declare module "next-auth" {
  // The session carries the user id and the session version it was issued under; name and role
  // are read from the database per request.
  interface Session {
    user: { id: string; sessionVersion: number; sessionId: string | null };
  }
}
