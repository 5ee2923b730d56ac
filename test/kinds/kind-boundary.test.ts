/**
 * DESIGN.md §4: src/kinds/ is the only place that knows AppStream. Outside it (and the emulator, which
 * is AppStream), no file names a kind (`"Fleet"`, `case "Stack":`) or an AppStream operation
 * (`"DescribeFleets"`) as a string literal; src/aws/operations.ts, the table of operations, is the exception.
 * Comments may cite both: they say why, not what runs.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "../../src/emulator/model.gen.js";
import { KIND_NAMES, SHORTHAND_KINDS } from "../../src/kinds/index.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = join(ROOT, "src");
const EXEMPT_DIRS = ["src/kinds/", "src/emulator/"];
const OPERATION_TABLE = "src/aws/operations.ts";

// Every operation of the AppStream model, from the table generated from it (a clean checkout has no model).

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The source without comments (line and block), so that only code is checked. */
export function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/** String literals (single, double or backtick quoted, without interpolation) that are exactly one of `names`. */
export function literalsOf(source: string, names: ReadonlySet<string>): string[] {
  return [...code(source).matchAll(/(["'`])([A-Za-z][A-Za-z0-9]*)\1/g)].map((m) => m[2]!).filter((s) => names.has(s));
}

const kindNames = new Set<string>([...KIND_NAMES, ...SHORTHAND_KINDS.map((k) => k.kind)]);
const operations = new Set(Object.keys(OPERATIONS));

describe("only src/kinds knows AppStream", () => {
  const checked = files(SRC).map((p) => relative(ROOT, p).split("\\").join("/")).filter((p) => !EXEMPT_DIRS.some((d) => p.startsWith(d)));

  it("checks the files outside src/kinds and src/emulator (core, engine, cli, aws, manifest)", () => {
    expect(checked.length).toBeGreaterThan(60);
    for (const dir of ["src/core/", "src/engine/", "src/cli/", "src/aws/", "src/manifest/"]) expect(checked.some((p) => p.startsWith(dir))).toBe(true);
  });

  it("no file outside src/kinds and src/emulator names a kind as a string literal or case label", () => {
    const found = checked.flatMap((p) => literalsOf(readFileSync(join(ROOT, p), "utf8"), kindNames).map((k) => `${p}: "${k}"`));
    expect(found).toEqual([]);
  });

  it("no file outside src/kinds, src/emulator and the operation table names an AppStream operation", () => {
    const found = checked
      .filter((p) => p !== OPERATION_TABLE)
      .flatMap((p) => literalsOf(readFileSync(join(ROOT, p), "utf8"), operations).map((o) => `${p}: "${o}"`));
    expect(found).toEqual([]);
  });

  it("the checker sees literals and case labels in code, not in comments", () => {
    const src = 'const a = "Fleet";\ncase "Stack":\n// "Image" in a comment\n/* "User" */\nconst b = `DescribeFleets`;\nconst c = "Fleet/x";';
    expect(literalsOf(src, kindNames)).toEqual(["Fleet", "Stack"]);
    expect(literalsOf(src, operations)).toEqual(["DescribeFleets"]);
  });
});
