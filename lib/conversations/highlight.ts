import { type Kysely, type RawBuilder, sql } from "kysely";
import type { DB } from "../../db/types.ts";
import { SEARCH_CONFIG } from "../search/index.ts";
import { type PiiSpan, textMasking } from "./mask.ts";

// Highlights of a search in text that is already masked. PostgreSQL splits each text into tokens
// with the search configuration's parser (ts_parse) and gives each token's lexemes as the
// configuration indexes them (to_tsvector of the token); a token matches when it has a lexeme the
// query looks for. The text is cut into plain and matched segments here (tokensOfText). The browser
// renders segments as text and <mark> elements — never as HTML — so nothing in a message can
// inject markup. (ts_debug gives the same per token but is an SQL function that reads the catalogs
// for every token: ~25 ms for a page of snippets against ~2 ms.)

/** Text split into runs; `match` runs are the words the search found. */
export type Highlighted = { text: string; match: boolean }[];

/**
 * The lexemes a tsquery looks for, leaving out those it excludes (`!'x'`, `!( … )`): the words to
 * mark. Reads PostgreSQL's text form of a tsquery ('quoted' lexemes, '' for a quote inside).
 */
export function positiveLexemes(tsquery: string): string[] {
  const found = new Set<string>();
  const negated: boolean[] = [false];
  let not = false;
  for (let i = 0; i < tsquery.length; i++) {
    const c = tsquery[i];
    if (c === "!") not = true;
    else if (c === "(") {
      negated.push((negated.at(-1) ?? false) || not);
      not = false;
    } else if (c === ")") negated.pop();
    else if (c === "'") {
      let lexeme = "";
      for (i++; i < tsquery.length; i++) {
        if (tsquery[i] === "'" && tsquery[i + 1] === "'") {
          lexeme += "'";
          i++;
        } else if (tsquery[i] === "'") break;
        else lexeme += tsquery[i];
      }
      if (!(negated.at(-1) ?? false) && !not) found.add(lexeme);
      not = false;
    }
  }
  return [...found];
}

type Token = { text: string; match: boolean };

/** Adjacent tokens of the same kind joined into segments. */
function join(tokens: readonly Token[]): Highlighted {
  const out: Highlighted = [];
  for (const { text, match } of tokens) {
    const last = out.at(-1);
    if (last && last.match === match) last.text += text;
    else if (text) out.push({ text, match });
  }
  return out;
}

/**
 * The list shows a snippet in a two-line clamp about 60 characters wide (conversations-table.tsx):
 * the first match must sit well inside the first lines, whatever the words before it, or the clamp
 * cuts it off. So the window is measured in characters: at most SNIPPET_BEFORE before the match
 * (whole words, "…" where the text was cut), then the rest up to SNIPPET_LENGTH.
 */
export const SNIPPET_BEFORE = 40;
export const SNIPPET_LENGTH = 160;

/** The window of the text around its first match, on one line; empty when nothing in it matches. */
export function snippetOf(tokens: readonly Token[]): Highlighted {
  const first = tokens.findIndex((t) => t.match);
  if (first < 0) return [];
  const flat = tokens.map((t) => ({ ...t, text: t.text.replace(/\s+/g, " ") }));
  let from = first;
  let before = 0;
  while (from > 0 && before + (flat[from - 1]?.text.length ?? 0) <= SNIPPET_BEFORE) {
    from--;
    before += flat[from]?.text.length ?? 0;
  }
  // Start on a word, not on the space or punctuation before it.
  while (from < first && !/[\p{L}\p{N}]/u.test(flat[from]?.text ?? "")) from++;
  let to = first;
  let length = flat.slice(from, first + 1).reduce((n, t) => n + t.text.length, 0);
  while (to < flat.length - 1 && length + (flat[to + 1]?.text.length ?? 0) <= SNIPPET_LENGTH) {
    to++;
    length += flat[to]?.text.length ?? 0;
  }
  const window = flat.slice(from, to + 1);
  if (from > 0) window.unshift({ text: "… ", match: false });
  if (to < flat.length - 1) window.push({ text: " …", match: false });
  return join(window);
}

/**
 * The text as tokens in order, each marked when it matches. The parser also reports the parts of a
 * compound after the compound itself ("e-mail", then "e", "-", "mail"; a URL, then its host and
 * path): a token counts only where it starts at the current place in the text, so the segments put
 * together are the text, character for character, whatever the parser reports.
 */
export function tokensOfText(text: string, parsed: readonly Token[]): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (const token of parsed) {
    if (token.text === "" || !text.startsWith(token.text, at)) continue;
    tokens.push(token);
    at += token.text.length;
  }
  if (at < text.length) tokens.push({ text: text.slice(at), match: false });
  return tokens;
}

/**
 * Each (already masked) text split into segments with the search's matches marked, in one round
 * trip: `whole` keeps all of the text, `snippet` a window around the first match.
 */
export async function highlightTexts(
  db: Kysely<DB>,
  tsquery: string,
  texts: readonly string[],
  mode: "snippet" | "whole",
): Promise<Highlighted[]> {
  if (texts.length === 0) return [];
  const { rows } = await sql<{ n: string; token: string; match: boolean }>`
    select u.n::text as n, p.token,
           tsvector_to_array(to_tsvector(${SEARCH_CONFIG}::regconfig, p.token))
             && ${positiveLexemes(tsquery)}::text[] as match
    from unnest(${[...texts]}::text[]) with ordinality as u(t, n)
    cross join lateral ts_parse(
      (select cfgparser from pg_ts_config where oid = ${SEARCH_CONFIG}::regconfig), u.t
    ) with ordinality as p(tokid, token, ord)
    order by u.n, p.ord`.execute(db);
  const parsed = texts.map((): Token[] => []);
  for (const r of rows) parsed[Number(r.n) - 1]?.push({ text: r.token, match: r.match });
  return texts.map((text, i) => {
    const tokens = tokensOfText(text, parsed[i] ?? []);
    return mode === "whole" ? join(tokens) : snippetOf(tokens);
  });
}

/**
 * A regular expression (PostgreSQL ARE) matching a word that starts like one of these stems: each
 * stem without its last letters (at most 3 of them, keeping at least 3), which stemming may have
 * rewritten. Null when there is nothing to look for.
 */
export function stemPattern(lexemes: readonly string[]): string | null {
  const starts = lexemes
    .map((l) => l.slice(0, Math.max(Math.min(3, l.length), l.length - 3)))
    .filter((p) => p.length > 0)
    .map((p) => p.replace(/[\\^$.|?*+()[\]{}-]/g, (c) => `\\${c}`));
  return starts.length ? `\\m(${[...new Set(starts)].join("|")})` : null;
}

export type SnippetSource = {
  id: string;
  contact: { phone: string | null; email: string | null };
};

/**
 * For each listed conversation, a snippet of what it says that best matches the search: the message,
 * agent note or disposition note that ranks highest on its own, masked like the panel shows it, then
 * highlighted; never what the customer said on hold (lib/conversations/hold.ts). Reads only the
 * listed conversations' rows (messages_conversation_id_seq_key etc.).
 */
export async function searchSnippets(
  db: Kysely<DB>,
  tsquery: string,
  conversations: readonly SnippetSource[],
  obscure: boolean,
): Promise<Map<string, Highlighted>> {
  if (conversations.length === 0) return new Map();
  // The texts of one conversation, with the rank of each: only those `filter` lets through.
  const best = (filter: RawBuilder<unknown>) => sql`
      select x.body, x.spans
      from (
        select m.body, m.pii_spans as spans, m.seq as ord from messages m
        where m.conversation_id = c.id and message_heard(m.speaker, m.sent_at, h.holds)
        union all
        select n.body, '[]'::jsonb, 2147483647 from notes n where n.conversation_id = c.id
        union all
        select d.note, '[]'::jsonb, 2147483647 from disposition_changes d
        where d.conversation_id = c.id and d.note is not null
      ) x
      -- parley_search_text (plpgsql) only where there are spans to cut. A query never holds a 7+
      -- digit run (a phone number is looked up as an identifier), so the runs it cuts can't match.
      cross join lateral (
        select ts_rank(to_tsvector(${SEARCH_CONFIG}::regconfig,
                         case when x.spans = '[]'::jsonb then x.body else parley_search_text(x.body, x.spans) end),
                       ${tsquery}::tsquery) as rank
        where ${filter}) r
      where r.rank > 0
      order by r.rank desc, x.ord
      limit 1`;
  // Ranking a text parses and stems all of it (~40 µs a message); a regular expression for the
  // start of each stem the query looks for (~2 µs) leaves only the texts that can match. Stemming
  // may rewrite a word's last letters ("possibility" → possibl), so the pattern takes the stem
  // without them; a conversation whose match it still misses (a handful of irregular words: dying
  // → die) is ranked the slow way, text by text — only if its document matches at all.
  const pattern = stemPattern(positiveLexemes(tsquery));
  const { rows } = await sql<{ id: string; body: string; spans: PiiSpan[] }>`
    select c.id, coalesce(fast.body, slow.body) as body, coalesce(fast.spans, slow.spans) as spans
    from unnest(${conversations.map((c) => c.id)}::uuid[]) as c(id)
    -- Once per conversation (offset 0 keeps it from being inlined into the per-message filter).
    cross join lateral (select conversation_holds(c.id) as holds offset 0) h
    left join lateral (${best(pattern === null ? sql`false` : sql`x.body ~* ${pattern}`)}) fast on true
    left join lateral (
      select * from (${best(sql`true`)}) s
      where fast.body is null
        and exists (select 1 from conversation_search cs
                    where cs.conversation_id = c.id and cs.document @@ ${tsquery}::tsquery)
    ) slow on true
    where coalesce(fast.body, slow.body) is not null`.execute(db);
  const contacts = new Map(conversations.map((c) => [c.id, c.contact]));
  const texts = rows.map((r) =>
    textMasking(contacts.get(r.id) ?? { phone: null, email: null }, obscure).body(
      r.body,
      Array.isArray(r.spans) ? r.spans : [],
    ),
  );
  const marked = await highlightTexts(db, tsquery, texts, "snippet");
  return new Map(rows.map((r, i) => [r.id, marked[i] ?? []]));
}
