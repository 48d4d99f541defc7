import { type SqlBool, sql } from "kysely";

// "Customer speech during hold periods is not recorded or displayed": a customer message timed
// inside a hold span (recordings.paused_spans) is left out of every transcript, export, API read
// and search document. One SQL predicate for all of them: message_heard and conversation_holds
// (db/migrations/20261217T090000_hold_customer_speech.ts). Spans may arrive after the messages, so
// it is applied when reading.

/**
 * Condition on message alias `m` of conversation `conversationId`: it was heard (not the customer
 * speaking on hold). The holds are an uncorrelated subquery, computed once per statement.
 */
export function heardMessage(m: string, conversationId: string) {
  return sql<SqlBool>`message_heard(${sql.ref(`${m}.speaker`)}, ${sql.ref(`${m}.sent_at`)},
    (select conversation_holds(${conversationId}::uuid)))`;
}
