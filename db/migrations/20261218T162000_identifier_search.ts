import { type Kysely, sql } from "kysely";

// Identifier search (lib/search/identifiers.ts): the customer's phone number, e-mail address and name
// and the conversation's ids, typed in the search box or given as phone:/email:/customer:/id:. The
// keyword documents keep none of these (20261202T100000: masked values must not be findable); these
// indexes serve exact lookups instead, which the masking rule can switch off per kind:
// - phone numbers by their digits reversed, so "ends with these ≥ 6 digits" is a prefix range
//   (text_pattern_ops), whatever the notation stored or typed;
// - e-mail addresses whole and by the part before the @, case-insensitive;
// - names word by word, case- and accent-folded (the parley_name configuration: unaccent, then
//   simple), for prefix queries ('mar':*), GIN.
// conversations' own ids already have their indexes (domain model), as do customers.channel_user_id
// and user_ref.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
create extension if not exists unaccent;
create text search configuration parley_name (copy = simple);
alter text search configuration parley_name
  alter mapping for asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
  with unaccent, simple;

create index customers_phone_digits_idx on customers
  (reverse(regexp_replace(phone, '\\D', '', 'g')) text_pattern_ops) where phone is not null;
create index customers_email_idx on customers (lower(email)) where email is not null;
create index customers_email_local_idx on customers (lower(split_part(email, '@', 1))) where email is not null;
create index customers_name_words_idx on customers
  using gin (to_tsvector('parley_name', coalesce(name, ''))) where name is not null;
`)
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(`
drop index if exists customers_name_words_idx;
drop index if exists customers_email_local_idx;
drop index if exists customers_email_idx;
drop index if exists customers_phone_digits_idx;
drop text search configuration if exists parley_name;
`)
    .execute(db);
}
