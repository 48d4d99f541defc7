import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { contentDisposition } from "./content-disposition.ts";
import { csvCell, csvLine } from "./csv.ts";

test("text that starts like a formula is defused, numbers keep their sign", () => {
  for (const formula of [
    "=1+1",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "+A1",
    "-SUM(A1:A3)",
    "+1312555010=0",
    "+",
    "-",
    "\tx",
    "\rx",
  ]) {
    expect(csvCell(formula).replace(/^"/, ""), formula).toMatch(/^'/);
  }
  expect(csvCell(-120)).toBe("-120");
  expect(csvCell(0)).toBe("0");
  expect(csvCell(Number.NaN)).toBe("");
  expect(csvCell(true)).toBe("true");
});

test("plain phone numbers and signed numbers written as text are left as they are", () => {
  const phones = ["+13125550100", "+1 (312) 555-0100", "+44 20 7946 0958", "-5", "+1.5", "312-555-0100"];
  const [row] = parse(csvLine(phones), { relaxQuotes: false }) as string[][];
  expect(row).toEqual(phones);
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
