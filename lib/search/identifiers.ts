import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import { conversationScope, type ScopeViewer } from "../auth/scope.ts";
import { isUuid } from "../db-ranges.ts";
import { MIN_PHONE_DIGITS, phoneDigits } from "./phrase.ts";

// Identifier search: who the customer is (phone, e-mail, name) and which conversation (Parley's and
// the platform's ids), from the search box (findExactMatches) or the phone/email/customer filters
// (customerCondition, also the phone:/email:/customer: prefixes). Every lookup has an index
// (db/migrations/20261218T162000_identifier_search.ts; identifier-explain.test.ts).
//
// Masking: while "Obscure customer info" is on, nobody sees a customer's phone or e-mail, so nobody
// can find a conversation by them either — not even whether one exists: those lookups match
// nothing, exactly like a number nobody has (and the keyword documents never hold them). A channel
// user id that is the phone or e-mail (a voice caller's number) is masked the same way.

/** Most conversations a search box identifier adds to the results (newest first); a customer rarely has more. */
export const EXACT_MATCHES = 200;

/** The rank given to an identifier match: above any keyword rank (ts_rank stays below 1 here). */
export const EXACT_RANK = 1000;

export const HINT_MASKED_IDENTIFIER =
  "Customer phone numbers and e-mail addresses are hidden (“Obscure customer info” is on), so they can't be searched: search by the customer's name, User ID or a conversation id instead.";

export type CustomerLookup = { phone?: string; email?: string; customer?: string };

type CustomerRow = ExpressionBuilder<DB, "customers">;

/** The customer's digits end with these (≥ 6), or — typed with a country code — these end with theirs. */
function phoneCondition(eb: CustomerRow, typed: string): Expression<SqlBool> {
  const digits = phoneDigits(typed);
  if (digits.length < MIN_PHONE_DIGITS) return eb.lit(false);
  const reversed = [...digits].reverse().join("");
  // Stored without the country code typed: the stored digits are a suffix of the typed ones.
  const shorter = Array.from({ length: Math.max(0, digits.length - 7) }, (_, i) => reversed.slice(0, 7 + i));
  const key = sql<string>`reverse(regexp_replace(${eb.ref("customers.phone")}, '\\D', '', 'g'))`;
  return eb.or([eb(key, "like", `${reversed}%`), ...(shorter.length ? [eb(key, "in", shorter)] : [])]);
}

/** The whole address, or the part before the @, case-insensitive. */
function emailCondition(eb: CustomerRow, typed: string): Expression<SqlBool> {
  const value = typed.trim().toLowerCase();
  if (!value) return eb.lit(false);
  return value.includes("@")
    ? eb(eb.fn("lower", ["customers.email"]), "=", value)
    : eb(sql`lower(split_part(${eb.ref("customers.email")}, '@', 1))`, "=", value);
}

/** The words of a name query: letters and digits only, so they can go into a tsquery as they are. */
export function nameWords(typed: string): string[] {
  return typed
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2)
    .slice(0, 5);
}

/** Every typed word starts a word of the name, ignoring case and accents ("mar lop" → "María López"). */
function nameCondition(eb: CustomerRow, typed: string): Expression<SqlBool> {
  const words = nameWords(typed);
  if (words.length === 0) return eb.lit(false);
  const query = words.map((w) => `'${w}':*`).join(" & ");
  return sql<SqlBool>`to_tsvector('parley_name', coalesce(${eb.ref("customers.name")}, '')) @@ to_tsquery('parley_name', ${query})
    and ${eb.ref("customers.name")} is not null`;
}

/**
 * The customers the phone/email/customer filters select (all given must match). Phone and e-mail
 * match nobody while customer info is obscured.
 */
export function customerCondition(eb: CustomerRow, lookup: CustomerLookup, obscure: boolean) {
  const conditions: Expression<SqlBool>[] = [];
  if (lookup.phone !== undefined) conditions.push(obscure ? eb.lit(false) : phoneCondition(eb, lookup.phone));
  if (lookup.email !== undefined) conditions.push(obscure ? eb.lit(false) : emailCondition(eb, lookup.email));
  if (lookup.customer !== undefined) conditions.push(nameCondition(eb, lookup.customer));
  return eb.and(conditions);
}

/** What a phrase typed in the search box might be, by its shape. */
export function identifierShapes(text: string) {
  const trimmed = text.trim();
  const token = /^\S+$/.test(trimmed) ? trimmed : null;
  return {
    phone: /^\+?[\d\s().\-/]+$/.test(trimmed) && phoneDigits(trimmed).length >= MIN_PHONE_DIGITS,
    email: token !== null && /^[^@\s"]+(@[^@\s"]+)?$/.test(token) && /[\p{L}\p{N}]/u.test(token),
    fullEmail: token !== null && /^[^@\s"]+@[^@\s"]+$/.test(token),
    name: nameWords(trimmed).length > 0 && /^[\p{L}\s'.-]+$/u.test(trimmed),
    id: token !== null && token.length >= 4 && token.length <= 200,
  };
}

/** A hint when the phrase looks like a phone or e-mail that masking keeps from being searched. */
export function maskedIdentifierHint(text: string, obscure: boolean): string | null {
  if (!obscure) return null;
  const shape = identifierShapes(text);
  return shape.phone || shape.fullEmail ? HINT_MASKED_IDENTIFIER : null;
}

/**
 * The conversations in the viewer's scope whose customer or ids the phrase names exactly: a phone
 * number (any notation, a suffix of ≥ 6 digits), an e-mail address or its local part, the start of
 * the customer's name, their User ID or channel user id, or the conversation's own id, session id,
 * call id, call/agent conversation id or external call id. Newest first, at most EXACT_MATCHES.
 * Each branch reads its own index; the union is joined to conversations by primary key.
 */
export async function findExactMatches(
  db: Kysely<DB>,
  viewer: ScopeViewer,
  text: string,
  obscure: boolean,
): Promise<string[]> {
  const query = exactMatchesQuery(db, viewer, text, obscure);
  return query ? (await query.execute()).map((r) => r.id) : [];
}

/** findExactMatches' statement (for EXPLAIN); null when the text can't be an identifier. */
export function exactMatchesQuery(db: Kysely<DB>, viewer: ScopeViewer, text: string, obscure: boolean) {
  const shape = identifierShapes(text);
  const token = text.trim();
  const customerBranches = (eb: CustomerRow) => {
    const or: Expression<SqlBool>[] = [];
    if (shape.phone && !obscure) or.push(phoneCondition(eb, token));
    if (shape.email && !obscure) or.push(emailCondition(eb, token));
    if (shape.name) or.push(nameCondition(eb, token));
    if (shape.id) {
      or.push(eb("customers.user_ref", "=", token));
      or.push(
        eb.and([
          eb("customers.channel_user_id", "=", token),
          ...(obscure ? [channelUserIdNotContact(eb)] : []),
        ]),
      );
    }
    return or;
  };
  if (!((shape.phone || shape.email) && !obscure) && !shape.name && !shape.id) return null;
  // The matches first, each branch from its own index, as one array (an InitPlan); then those
  // conversations by primary key, scoped and sorted. Left to itself the planner walks the whole
  // list in start order testing each row, expecting many matches (seconds on 1M rows).
  const byCustomer = db
    .selectFrom("conversations as bc")
    .select("bc.id")
    .where((w) =>
      w.and([
        sql<SqlBool>`${w.ref("bc.customer_id")} = any(array(${db
          .selectFrom("customers")
          .select("customers.id")
          .where((c) => c.or(customerBranches(c)))}))`,
      ]),
    );
  const matches = !shape.id
    ? byCustomer
    : byCustomer.union(
        db
          .selectFrom("conversations as bi")
          .select("bi.id")
          .where((w) =>
            w.or([
              ...(isUuid(token) ? [w("bi.id", "=", token)] : []),
              w("bi.session_id", "=", token),
              w("bi.call_id", "=", token),
              w("bi.call_conversation_id", "=", token),
              w("bi.agent_conversation_id", "=", token),
              w("bi.external_call_id", "=", token),
            ]),
          ),
      );
  return db
    .selectFrom("conversations")
    .select("conversations.id")
    .where((eb) => eb.and([sql<SqlBool>`${eb.ref("conversations.id")} = any(array(${matches}))`]))
    .where(conversationScope(viewer))
    .orderBy("conversations.started_at", "desc")
    .orderBy("conversations.id", "desc")
    .limit(EXACT_MATCHES);
}

/** A channel user id that is the customer's phone number or e-mail address is masked like them. */
function channelUserIdNotContact(eb: CustomerRow): Expression<SqlBool> {
  return sql<SqlBool>`(${eb.ref("customers.email")} is null or strpos(lower(${eb.ref("customers.channel_user_id")}), lower(${eb.ref("customers.email")})) = 0)
    and (${eb.ref("customers.phone")} is null or regexp_replace(${eb.ref("customers.channel_user_id")}, '\\D', '', 'g') <> regexp_replace(${eb.ref("customers.phone")}, '\\D', '', 'g'))`;
}
