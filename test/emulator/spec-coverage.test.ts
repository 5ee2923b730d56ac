/**
 * Every rule of src/emulator/SPEC.md (lines `- RULE-ID: ...`) must appear in the title of at least one test
 * under test/emulator/, so each behaviour the spec states is proven by a named contract test.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const SPEC = fileURLToPath(new URL("../../src/emulator/SPEC.md", import.meta.url));
const DIR = fileURLToPath(new URL(".", import.meta.url));

/** Rule ids defined in SPEC.md, in order. */
export function specRuleIds(markdown: string): string[] {
  return [...markdown.matchAll(/^- ([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+):/gm)].map((m) => m[1]!);
}

/** Titles of tests in a test file: the first string of test(...)/it(...) calls, incl. .each/.skipIf forms. */
export function testTitles(source: string): string[] {
  const re = /(?:\b(?:test|it)(?:\.(?:each|skipIf|runIf|only|skip|todo|concurrent|fails)(?:\((?:[^()]|\([^()]*\))*\))?)*|\]\))\(\s*(["'`])((?:(?!\1)[^\\]|\\.)*)\1/g;
  return [...source.matchAll(re)].map((m) => m[2]!);
}

test("every SPEC.md rule id is named by a test under test/emulator", () => {
  const ids = specRuleIds(readFileSync(SPEC, "utf8"));
  expect(ids.length).toBeGreaterThan(50);
  expect(new Set(ids).size, "rule ids are unique").toBe(ids.length);
  const titles = readdirSync(DIR)
    .filter((f) => f.endsWith(".test.ts"))
    .flatMap((f) => testTitles(readFileSync(`${DIR}/${f}`, "utf8")));
  const missing = ids.filter((id) => !titles.some((title) => new RegExp(`(^|[^A-Z0-9-])${id}(?![0-9])`).test(title)));
  expect(missing).toEqual([]);
});

test("the spec parser and title extractor see what they should", () => {
  expect(specRuleIds("- FLEET-01: a\n- IB-LIFE-02: b\n  - NOT-03: nested\ntext - X-04: inline")).toEqual(["FLEET-01", "IB-LIFE-02"]);
  const src = 'test("A-01 x", () => {});\ntest.each([1])("B-02 %s", () => {});\n  ])("C-03 y", async () => {});\ntest.skipIf(!AWS)("D-04 z", () => {});\ndescribe("E-05 no", () => {});';
  expect(testTitles(src)).toEqual(["A-01 x", "B-02 %s", "C-03 y", "D-04 z"]);
});
