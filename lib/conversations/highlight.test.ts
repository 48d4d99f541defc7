import { describe, expect, it } from "vitest";
import {
  positiveLexemes,
  SNIPPET_BEFORE,
  SNIPPET_LENGTH,
  snippetOf,
  stemPattern,
  tokensOfText,
} from "./highlight.ts";

describe("highlights", () => {
  it("marks the words a query looks for, not those it excludes", () => {
    expect(positiveLexemes("'refund' <-> 'polici' & !'cancel' | 'bill'")).toEqual([
      "refund",
      "polici",
      "bill",
    ]);
    expect(positiveLexemes("!( 'refund' <-> 'polici' ) & 'bill' & !'x'")).toEqual(["bill"]);
    expect(positiveLexemes("'don''t' & ( 'a' | !'b' )")).toEqual(["don't", "a"]);
  });

  it("cuts a snippet around the first match, on one line", () => {
    const words = "one two three four five six seven eight nine ten eleven twelve".split(" ");
    const tokens = words.flatMap((w, i) => [
      { text: w, match: w === "ten" },
      ...(i < words.length - 1 ? [{ text: i === 3 ? "\n\n" : " ", match: false }] : []),
    ]);
    expect(snippetOf(tokens)).toEqual([
      { text: "… three four five six seven eight nine ", match: false },
      { text: "ten", match: true },
      { text: " eleven twelve", match: false },
    ]);
    expect(snippetOf([{ text: "nothing", match: false }])).toEqual([]);
  });

  it("centres the snippet on the match, so the two-line clamp never cuts it off", () => {
    // Long words before the match: 8 of them used to push it to the third line.
    const before = Array.from({ length: 30 }, (_, i) => `extraordinarily${i}`);
    const after = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const words = [...before, "refund", ...after];
    const tokens = words.flatMap((w, i) => [
      { text: w, match: w === "refund" },
      ...(i < words.length - 1 ? [{ text: " ", match: false }] : []),
    ]);
    const snippet = snippetOf(tokens);
    const text = snippet.map((s) => s.text).join("");
    const at = text.indexOf("refund");
    expect(snippet.some((s) => s.match && s.text === "refund")).toBe(true);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThanOrEqual(SNIPPET_BEFORE + "… ".length);
    expect(text.startsWith("… extraordinarily")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(SNIPPET_LENGTH + "…  …".length);
    expect(text.endsWith(" …")).toBe(true);
  });

  it("keeps the text exactly when the parser reports a compound's parts after it", () => {
    const text = "the e-mail, x.org/a";
    // What ts_parse reports for it: each compound, then its parts again.
    const parsed = ["the", " ", "e-mail", "e", "-", "mail", ", ", "x.org/a", "x.org", "/a"].map((t) => ({
      text: t,
      match: t === "mail" || t === "e-mail",
    }));
    const tokens = tokensOfText(text, parsed);
    expect(tokens.map((t) => t.text).join("")).toBe(text);
    expect(tokens.filter((t) => t.match).map((t) => t.text)).toEqual(["e-mail"]);
    // Whatever the parser leaves out is kept, unmarked.
    expect(tokensOfText("a b", [{ text: "a", match: true }])).toEqual([
      { text: "a", match: true },
      { text: " b", match: false },
    ]);
  });

  it("prefilters texts by the start of each stem, which stemming may have rewritten", () => {
    expect(stemPattern(["possibl", "polici", "tv", "c++"])).toBe("\\m(poss|pol|tv|c\\+\\+)");
    expect(stemPattern([])).toBeNull();
    // Each word of this sentence starts like its own stem (what the SQL regex checks).
    const cases = { possibility: "possibl", policies: "polici", hoping: "hope", relational: "relat" };
    for (const [word, stem] of Object.entries(cases)) {
      const start = (stemPattern([stem]) ?? "").slice(3, -1);
      expect(word.startsWith(start), word).toBe(true);
    }
  });
});
