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

/** Span types that are customer contact details, which "Obscure customer info" must never let out. */
export const isContactSpan = (span: PiiSpan) => /phone|e-?mail/i.test(span.type);

/**
 * Replaces each marked span with `replace(span)`, working from the end of the body so earlier
 * offsets stay valid; spans that are out of range or overlap an already replaced one are skipped.
 */
export function redactSpans(
  body: string,
  spans: readonly PiiSpan[],
  replace: (span: PiiSpan) => string,
): string {
  let out = body;
  let limit = body.length;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) {
    if (!(span.start >= 0 && span.start < span.end && span.end <= limit)) continue;
    out = out.slice(0, span.start) + replace(span) + out.slice(span.end);
    limit = span.start;
  }
  return out;
}

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
const PII_MARKERS: Record<string, string> = {
  phone: REDACTED_PHONE,
  email: REDACTED_EMAIL,
  credit_card: "[redacted card number]",
  date_of_birth: "[redacted date of birth]",
  person: "[redacted name]",
};
const piiMarker = (span: PiiSpan) => PII_MARKERS[span.type] ?? "[redacted]";

export type TextMasking = {
  /** Free text (notes, feedback, subjects) as it may leave the server. */
  text: (text: string) => string;
  /** A message body: the platform's marked spans, then the literal contact details. */
  body: (body: string, spans: readonly PiiSpan[]) => string;
};

/**
 * Free text about one customer as it may leave the server: with "Obscure customer info" on, every
 * span the platform marked as personal data becomes a "[redacted phone]"-style marker and literal
 * copies of the customer's phone or e-mail anywhere else are replaced as a backstop (the panel, the
 * transcript and search snippets all show text through this).
 */
export function textMasking(
  contact: { phone: string | null; email: string | null },
  obscure: boolean,
): TextMasking {
  if (!obscure) return { text: (t) => t, body: (b) => b };
  const text = contactScrubber(contact, { phone: REDACTED_PHONE, email: REDACTED_EMAIL });
  return { text, body: (body, spans) => text(redactSpans(body, spans, piiMarker)) };
}
