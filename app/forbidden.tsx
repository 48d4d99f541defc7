import { AccessRestricted } from "@/components/access-restricted";

// Rendered with status 403 when a page calls forbidden() (lib/auth/viewer.ts requirePermission).
export default function Forbidden() {
  return <AccessRestricted />;
}
