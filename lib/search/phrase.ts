// Search phrases as typed, stored and compared. No database here: the browser writes links with it.

/** Longest search phrase accepted (URL parameter, recent searches). */
export const MAX_SEARCH_LENGTH = 200;

/** One search phrase as stored and compared: trimmed, inner whitespace collapsed, length-capped. */
export function normalizePhrase(phrase: string): string {
  return phrase.replace(/\s+/g, " ").trim().slice(0, MAX_SEARCH_LENGTH);
}

/** Fewest digits a phone number search takes: fewer would match too many numbers. */
export const MIN_PHONE_DIGITS = 6;
/** A phone number as searched: its digits only, whatever the notation. */
export const phoneDigits = (text: string) => text.replace(/\D/g, "");
