import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { contentDisposition } from "./content-disposition.ts";
import { csvCell, csvLine } from "./csv.ts";

test("text that starts like a formula is defused, numbers keep their sign", () => {
  for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) {
    expect(csvCell(formula).replace(/^"/, "")).toMatch(/^'/);
  }
  expect(csvCell(-120)).toBe("-120");
  expect(csvCell(0)).toBe("0");
  expect(csvCell(Number.NaN)).toBe("");
  expect(csvCell(true)).toBe("true");
});

test("an independent parser reads back every awkward cell", () => {
  const cells = ['a "quoted", word', "line\nbreak", "ünïcödé ✓", "=cmd|' /C calc'!A0", -5, null];
  const [row] = parse(csvLine(cells), { relaxQuotes: false }) as string[][];
  expect(row).toEqual(['a "quoted", word', "line\nbreak", "ünïcödé ✓", "'=cmd|' /C calc'!A0", "-5", ""]);
});

test("Content-Disposition names per RFC 6266 with an RFC 8187 UTF-8 name when needed", () => {
  expect(contentDisposition("transcripts-2026-11-25-15-20-01.zip")).toBe(
    'attachment; filename="transcripts-2026-11-25-15-20-01.zip"',
  );
  expect(contentDisposition('a"b\\c\r\n.csv')).toBe('attachment; filename="a_b_c__.csv"');
  expect(contentDisposition("résumé (1).csv")).toBe(
    "attachment; filename=\"r_sum_ (1).csv\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.csv",
  );
  expect(contentDisposition("call.flac", "inline")).toBe('inline; filename="call.flac"');
});
