import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import nodemailer from "nodemailer";
import type { DB } from "../../db/types.ts";
import type { Env } from "../config/env.ts";

// Outgoing e-mail goes through the `outgoing_emails` table: a notice is written in the transaction
// that decides it (its dedupe key makes writing it twice a no-op), then delivered by SMTP when
// SMTP_URL is set. Without SMTP the rows stay pending and the admin Outbox shows what would have
// been sent. A row is locked while it is sent and marked sent in the same transaction, so two
// workers never send it both.

export type Mail = { kind: string; recipients: string[]; subject: string; text: string; dedupeKey: string };

/** Queues a notice; returns false when one with the same dedupe key exists (already queued or sent). */
export async function queueEmail(trx: Kysely<DB> | Transaction<DB>, mail: Mail): Promise<boolean> {
  const row = await trx
    .insertInto("outgoing_emails")
    .values({
      kind: mail.kind,
      recipients: mail.recipients,
      subject: mail.subject,
      text_body: mail.text,
      dedupe_key: mail.dedupeKey,
    })
    .onConflict((oc) => oc.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export type Mailer = { send: (message: nodemailer.SendMailOptions) => Promise<unknown>; from: string };

/** The SMTP mailer when SMTP_URL is set; null means "keep mail in the Outbox". */
export function mailerFromEnv(env: Env): Mailer | null {
  if (!env.SMTP_URL) return null;
  const transport = nodemailer.createTransport(env.SMTP_URL);
  return { send: (message) => transport.sendMail(message), from: env.SMTP_FROM };
}

export const MAX_SEND_ATTEMPTS = 5;

/**
 * Sends pending mail one row at a time (row locked, SKIP LOCKED for other workers). A failure is
 * counted and retried on the next run, up to MAX_SEND_ATTEMPTS. The Message-ID is derived from the
 * dedupe key, so a receiving system can recognise a resend after a crash between send and commit.
 */
export async function deliverPendingEmails(db: Kysely<DB>, mailer: Mailer | null): Promise<number> {
  if (!mailer) return 0;
  let sent = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const mail = await trx
        .selectFrom("outgoing_emails")
        .selectAll()
        .where("status", "=", "pending")
        .orderBy("id")
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!mail) return null;
      try {
        await mailer.send({
          from: mailer.from,
          to: mail.recipients,
          subject: mail.subject,
          text: mail.text_body,
          ...(mail.html_body ? { html: mail.html_body } : {}),
          messageId: `<${createHash("sha256").update(mail.dedupe_key).digest("hex").slice(0, 32)}@parley>`,
        });
        await trx
          .updateTable("outgoing_emails")
          .set({ status: "sent", sent_at: sql`now()`, attempts: sql`attempts + 1`, last_error: null })
          .where("id", "=", mail.id)
          .execute();
        return true;
      } catch (err) {
        const attempts = mail.attempts + 1;
        await trx
          .updateTable("outgoing_emails")
          .set({
            attempts,
            last_error: (err instanceof Error ? err.message : String(err)).slice(0, 1000),
            status: attempts >= MAX_SEND_ATTEMPTS ? "failed" : "pending",
          })
          .where("id", "=", mail.id)
          .execute();
        return false;
      }
    });
    if (done === null) return sent;
    if (done) sent++;
    else return sent; // the server refuses: try again on the next run instead of spinning
  }
}

export async function listOutbox(db: Kysely<DB>, limit = 100) {
  return db
    .selectFrom("outgoing_emails")
    .select([
      "id",
      "kind",
      "recipients",
      "subject",
      "text_body",
      "status",
      "attempts",
      "last_error",
      "created_at",
      "sent_at",
    ])
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
