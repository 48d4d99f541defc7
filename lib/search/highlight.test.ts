import { describe, expect, it } from "vitest";
import { positiveLexemes, snippetOf } from "./highlight.ts";

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
      { text: "… two three four five six seven eight nine ", match: false },
      { text: "ten", match: true },
      { text: " eleven twelve", match: false },
    ]);
    expect(snippetOf([{ text: "nothing", match: false }])).toEqual([]);
  });
});
