/** A conversation's customer as it may leave the server. */
export type CustomerContact = {
  name: string | null;
  /** The internal User ID (customers.user_ref). */
  userRef: string | null;
  phone: string | null;
  email: string | null;
  /** True when phone and email were withheld ("Obscure customer info" is on). */
  obscured: boolean;
};

/**
 * The one place customer contact details are masked. With "Obscure customer info" on, the phone
 * number and e-mail address are dropped here, on the server, before any list, panel or export gets
 * them; the internal User ID is shown instead.
 */
export function maskCustomer(
  customer: Omit<CustomerContact, "obscured">,
  obscureCustomerInfo: boolean,
): CustomerContact {
  if (!obscureCustomerInfo) return { ...customer, obscured: false };
  return { name: customer.name, userRef: customer.userRef, phone: null, email: null, obscured: true };
}

/** Where the platform marked personal data inside a message body (offsets into the body). */
export type PiiSpan = { start: number; end: number; type: string };

/**
 * The backstop behind the platform's marks: every literal copy of the customer's phone number or
 * e-mail address (case-insensitive) in a text, e.g. an e-mail header, a note or an unmarked
 * message, replaced by `replacement`. Identity when there is nothing to hide.
 */
export function contactScrubber(
  contact: { phone: string | null; email: string | null },
  replacement: { phone: string; email: string },
): (text: string) => string {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const rules = [
    contact.email && ([new RegExp(literal(contact.email), "gi"), replacement.email] as const),
    contact.phone && ([new RegExp(literal(contact.phone), "g"), replacement.phone] as const),
  ].filter((rule) => !!rule);
  if (rules.length === 0) return (text) => text;
  return (text) => rules.reduce((out, [pattern, value]) => out.replace(pattern, () => value), text);
}

export const REDACTED_PHONE = "[redacted phone]";
export const REDACTED_EMAIL = "[redacted email]";
// The platform names a span's kind freely (schemas.ts: "phone, email, card, address"): the usual
// spellings get one placeholder each, anything else its own words ("bank_account" → "[redacted bank account]").
const PII_MARKERS: Record<string, string> = {
  phone: REDACTED_PHONE,
  phone_number: REDACTED_PHONE,
  email: REDACTED_EMAIL,
  "e-mail": REDACTED_EMAIL,
  email_address: REDACTED_EMAIL,
  card: "[redacted card number]",
  credit_card: "[redacted card number]",
  card_number: "[redacted card number]",
  date_of_birth: "[redacted date of birth]",
  dob: "[redacted date of birth]",
  person: "[redacted name]",
  name: "[redacted name]",
};

/** The typed placeholder that stands for a marked span wherever its text would be shown. */
export function piiMarker(span: Pick<PiiSpan, "type">): string {
  const type = span.type.trim().toLowerCase();
  const known = PII_MARKERS[type];
  if (known) return known;
  const words = type
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .slice(0, 40);
  return words ? `[redacted ${words}]` : "[redacted]";
}

/**
 * A message body with every span the platform marked for de-identification replaced by its typed
 * placeholder, whatever "Obscure customer info" says (the spec: PII marked "De-identify PII data
 * while presenting it to the user" is redacted in the transcript; the platform sends spans only for
 * such entities). `spans` come back re-based onto the placeholders, in body order, for a reader
 * (the read API) that wants to know where they are. Every presentation of a body goes through this:
 * the transcript, snippets and exports by textMasking, the read API directly; the search document
 * never holds the spans at all (parley_search_text).
 */
export function deidentify(body: string, spans: readonly PiiSpan[]): { text: string; spans: PiiSpan[] } {
  const kept: PiiSpan[] = [];
  let limit = body.length;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    if (!(span.start >= 0 && span.start < span.end && span.end <= limit)) continue;
    kept.push(span);
    limit = span.start;
  }
  kept.reverse();
  let text = "";
  let at = 0;
  const placed: PiiSpan[] = [];
  for (const span of kept) {
    text += body.slice(at, span.start);
    const marker = piiMarker(span);
    placed.push({ start: text.length, end: text.length + marker.length, type: span.type });
    text += marker;
    at = span.end;
  }
  return { text: text + body.slice(at), spans: placed };
}

export type TextMasking = {
  /** Free text (notes, feedback, subjects) as it may leave the server. */
  text: (text: string) => string;
  /** A message body: the platform's marked spans, then the literal contact details. */
  body: (body: string, spans: readonly PiiSpan[]) => string;
};

/**
 * Free text about one customer as it may leave the server. Marked spans in a message body always
 * become their "[redacted phone]"-style placeholders (deidentify); with "Obscure customer info" on,
 * literal copies of the customer's phone or e-mail anywhere else are replaced as well, as a
 * backstop (the panel, the transcript, exports and search snippets all show text through this).
 */
export function textMasking(
  contact: { phone: string | null; email: string | null },
  obscure: boolean,
): TextMasking {
  const marked = (body: string, spans: readonly PiiSpan[]) => deidentify(body, spans).text;
  if (!obscure) return { text: (t) => t, body: marked };
  const text = contactScrubber(contact, { phone: REDACTED_PHONE, email: REDACTED_EMAIL });
  return { text, body: (body, spans) => text(marked(body, spans)) };
}
