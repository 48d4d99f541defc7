import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCESS_RESTRICTED,
  type ActionDefinition,
  INVALID_INPUT,
  runAction,
  SIGNED_OUT,
} from "../../lib/auth/action.ts";
import type { Role } from "../../lib/auth/permissions.ts";
import type { Viewer } from "../../lib/auth/viewer.ts";
import { EXPORT_RESTRICTED } from "../../lib/exports/kinds.ts";
import { RECORDING_NOT_AVAILABLE } from "../../lib/recordings/queries.ts";
import { updateSettings } from "../../lib/settings/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/db.ts";
import { insertViewer } from "../helpers/users.ts";

// The server-action half of the authorization matrix (the page and route half is
// tests/e2e/authorization-matrix.spec.ts): every action exported from a "use server" file × every
// role, with the exact allow/deny. An action missing from the table fails the first test.
type Access = "allow" | "deny";
const MATRIX: Record<string, Record<Role, Access>> = {
  changeRoleAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  setUserActiveAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  updateSettingsAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  createApiKeyAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  revokeApiKeyAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  // Outgoing webhooks send conversation events out of Parley: the settings permission, like API keys.
  createWebhookAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  setWebhookActiveAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  deleteWebhookAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  sendTestWebhookAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  // Reading more of a transcript is allowed to every role; the loader's scope decides which.
  loadTranscriptPageAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Scoped like the list row it belongs to (an agent's own conversations only).
  rowIdentifiersAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Retry is every role's (scoped to conversations they may see); a legal hold is not an agent's.
  retryRecordingFetchAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  setRecordingLegalHoldAction: { agent: "deny", supervisor: "allow", admin: "allow" },
  // The retention preview before saving: only who may change the settings.
  previewRetentionAction: { agent: "deny", supervisor: "deny", admin: "allow" },
  // Noting a playback in the access log: anyone who may play the recording (scope decides which).
  recordPlaybackAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Everyone keeps saved filters; whose filter may be changed is checked per filter (owner or admin).
  createSavedFilterAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  updateSavedFilterAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  duplicateSavedFilterAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  setDefaultFilterAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  deleteSavedFilterAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Recording downloads: every role may ask; the recording's scope decides which (agents: their own).
  requestRecordingFilesAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  recordingFilesStatusAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Exports: every role may export what its scope shows (the requests re-check scope and the rules).
  startExportAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  retryExportAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  exportStatusAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  exportOptionsAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  previewEventsAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Supervisor actions: agents watch Monitor but may not intervene.
  joinConversationAction: { agent: "deny", supervisor: "allow", admin: "allow" },
  assignConversationAction: { agent: "deny", supervisor: "allow", admin: "allow" },
  changeQueueAction: { agent: "deny", supervisor: "allow", admin: "allow" },
  // Agents set dispositions during the session (on the platform); only supervisors override them.
  editDispositionAction: { agent: "deny", supervisor: "allow", admin: "allow" },
  // Everyone's own notification center (the handlers touch only the viewer's rows).
  loadNotificationsAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  markNotificationsReadAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  setDispositionEmailsAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Every role that reads conversations searches them and keeps its own recent searches.
  recordSearchAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  // Everyone's own display preferences (the handlers touch only the viewer's row).
  setTimeZoneAction: { agent: "allow", supervisor: "allow", admin: "allow" },
  setListViewAction: { agent: "allow", supervisor: "allow", admin: "allow" },
};

type Exported = { name: string; file: string; definition: ActionDefinition<never, unknown> };

function serverActionFiles(dir = path.resolve("app")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) return serverActionFiles(abs);
    return /\.tsx?$/.test(name) && /^["']use server["']/.test(readFileSync(abs, "utf8").trimStart())
      ? [abs]
      : [];
  });
}

async function exportedActions(): Promise<Exported[]> {
  const found: Exported[] = [];
  for (const file of serverActionFiles()) {
    const module: Record<string, unknown> = await import(file);
    for (const [name, value] of Object.entries(module)) {
      const definition = (value as { definition?: ActionDefinition<never, unknown> }).definition;
      expect(definition, `${name} in ${file} is not declared with defineAction`).toBeDefined();
      if (definition) found.push({ name, file: path.relative(process.cwd(), file), definition });
    }
  }
  return found;
}

let t: TestDatabase;
const viewers = {} as Record<Role, Viewer>;
beforeAll(async () => {
  t = await createTestDatabase();
  for (const role of ["agent", "supervisor", "admin"] as const) {
    viewers[role] = await insertViewer(t.db, {
      email: `${role}@matrix.test`,
      name: `Matrix ${role}`,
      role,
    });
  }
});
afterAll(() => t.drop());

describe("server actions × roles", () => {
  it("every server action is in the matrix, and the matrix names no missing action", async () => {
    const names = (await exportedActions()).map((a) => a.name).sort();
    expect(names).toEqual(Object.keys(MATRIX).sort());
  });

  it("each role is allowed or refused exactly as the matrix says; signed-out callers always refused", async () => {
    const actual: string[] = [];
    const expected: string[] = [];
    for (const { name, definition } of await exportedActions()) {
      const deps = (viewer: Viewer | null) => ({
        getViewer: async () => viewer,
        getDb: () => t.db,
        requestContext: async () => ({}),
      });
      // An empty input: allowed callers get past the permission check (and stop at validation or a
      // harmless no-op); refused ones never reach the input.
      const signedOut = await runAction(definition, {}, deps(null));
      actual.push(
        `${name} anonymous → ${!signedOut.ok && signedOut.error === SIGNED_OUT ? "deny" : "allow"}`,
      );
      expected.push(`${name} anonymous → deny`);
      for (const role of ["agent", "supervisor", "admin"] as const) {
        const result = await runAction(definition, {}, deps(viewers[role]));
        const outcome = !result.ok && result.error === ACCESS_RESTRICTED ? "deny" : "allow";
        actual.push(`${name} ${role} → ${outcome}`);
        expected.push(`${name} ${role} → ${MATRIX[name]?.[role] ?? "missing"}`);
      }
    }
    expect(actual).toEqual(expected);
  });

  it("numbers beyond their column's range are refused as invalid input, not a server error", async () => {
    const { loadTranscriptPageAction } = await import(
      "../../app/(app)/conversations/_components/insights/actions.ts"
    );
    const { markNotificationsReadAction } = await import(
      "../../app/(app)/_components/notification-actions.ts"
    );
    const deps = {
      getViewer: async () => viewers.agent,
      getDb: () => t.db,
      requestContext: async () => ({}),
    };
    const cases = [
      [
        loadTranscriptPageAction,
        { conversationId: crypto.randomUUID(), afterSeq: 3_000_000_000 },
        "afterSeq",
      ],
      [markNotificationsReadAction, { ids: ["9999999999999999999"] }, "ids"],
    ] as const;
    for (const [action, input, field] of cases) {
      const result = await runAction(action.definition as ActionDefinition<never, unknown>, input, deps);
      expect(result).toMatchObject({ ok: false, error: INVALID_INPUT });
      expect(Object.keys((!result.ok && result.fieldErrors) || {})).toEqual([field]);
    }
  });

  it("recording downloads follow the admin's switch: withheld from agents, refused before any lookup", async () => {
    const { requestRecordingFilesAction } = await import(
      "../../app/(app)/conversations/_components/insights/recording-file-actions.ts"
    );
    const request = (role: Role) =>
      runAction(
        requestRecordingFilesAction.definition as ActionDefinition<never, unknown>,
        { conversationId: crypto.randomUUID(), variants: ["merged"] },
        { getViewer: async () => viewers[role], getDb: () => t.db, requestContext: async () => ({}) },
      );
    const admin = { kind: "user" as const, id: viewers.admin.id };
    await updateSettings(t.db, admin, { agent_exports_enabled: false });
    try {
      expect(await request("agent")).toEqual({ ok: false, error: EXPORT_RESTRICTED });
      expect(await request("supervisor")).toEqual({ ok: false, error: RECORDING_NOT_AVAILABLE });
    } finally {
      await updateSettings(t.db, admin, { agent_exports_enabled: true });
    }
    expect(await request("agent")).toEqual({ ok: false, error: RECORDING_NOT_AVAILABLE });
  });
});
