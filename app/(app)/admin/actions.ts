"use server";

import { z } from "zod";
import { defineAction, formBoolean } from "@/lib/auth/action";
import { ROLES } from "@/lib/auth/permissions";
import { changeUserRole, setUserActive } from "@/lib/users/manage";

export const changeRoleAction = defineAction({
  input: z.object({ userId: z.uuid(), role: z.enum(ROLES, { error: "Choose a role" }) }),
  permission: "users:manage",
  handler: (input, { db, actor, context }) => changeUserRole(db, actor, input, context),
});

export const setUserActiveAction = defineAction({
  input: z.object({ userId: z.uuid(), active: formBoolean() }),
  permission: "users:manage",
  handler: (input, { db, actor, context }) => setUserActive(db, actor, input, context),
});
