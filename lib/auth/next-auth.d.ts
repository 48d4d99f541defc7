import "next-auth";

declare module "next-auth" {
  // The session carries the user id only; name and role are read from the database per request.
  interface Session {
    user: { id: string };
  }
}
