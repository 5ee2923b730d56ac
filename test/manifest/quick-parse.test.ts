/**
 * The fast, position-less reader (quick-parse.ts) must never disagree with the positional parser: when it
 * accepts a file, the values are exactly what parse.ts produces and parse.ts finds nothing to report.
 * Everything it cannot promise that for, it must hand back.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeManifest, defaultChecks } from "../../src/manifest/index.js";
import { parseYamlFile } from "../../src/manifest/parse.js";
import { quickParse } from "../../src/manifest/quick-parse.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const filesIn = (dir: string) => readdirSync(path.join(ROOT, dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(dir, f));
const CORPUS = [...filesIn("examples"), ...filesIn("test/fixtures/invalid")];
const PARSE_CODES = new Set(["manifest.yaml-syntax", "manifest.duplicate-key", "manifest.not-a-mapping"]);

/** Asserts the contract for one text; returns whether the quick reader took it. */
function agree(text: string): boolean {
  const quick = quickParse(text);
  const slow = parseYamlFile("x.yaml", text);
  if (quick === undefined) return false;
  expect(slow.diagnostics.filter((d) => PARSE_CODES.has(d.code)), text).toEqual([]);
  expect(quick, text).toEqual(slow.fragments.map((f) => f.value));
  return true;
}

describe("quickParse", () => {
  it("agrees with the positional parser on every example and invalid fixture it accepts", () => {
    let taken = 0;
    for (const file of CORPUS) if (agree(readFileSync(path.join(ROOT, file), "utf8"))) taken++;
    // Most fixtures are schema and rule errors in well-formed YAML; those must take the fast path.
    expect(taken).toBeGreaterThan(CORPUS.length * 0.7);
  });

  it("agrees on scalars of every shape the core schema resolves", () => {
    const scalars = [
      "012", "0o12", "0x1F", "1_000", ".5", "+12", "-0", "0.", "1e3", ".inf", "-.Inf", ".NaN", "yes", "No", "on",
      "True", "FALSE", "NULL", "~", "", "2001-12-14", "0b101", "12345678901234567890", "'1'", '"\\u00e9"', "1.2.3",
      "a b", "'it''s'", '"tab\\there"', "x:y", "-", "--", "? x", "@x", "`x`", "!!str 12", "!!int '7'", "0xG",
    ];
    for (const s of scalars) {
      agree(`a: ${s}\n`);
      agree(`a: [${s}]\n`);
    }
  });

  it("agrees on a seeded sample of random plain scalars in block and flow style", () => {
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = "0123456789.-+eExXoObB_:aZ ~";
    for (let i = 0; i < 1500; i++) {
      const len = 1 + rand(6);
      let s = "";
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      s = s.trim();
      agree(`k${i}: ${s}\n`);
      agree(`k${i}: {v: ${s}}\n`);
    }
  });

  it("agrees on seeded random documents: nesting, quoting, block scalars, comments, and broken ones", () => {
    // FUZZ_SEED and FUZZ_N run a different or larger sample (8 seeds × 5,000 documents pass).
    let seed = Number(process.env.FUZZ_SEED ?? 7);
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pick = <T,>(xs: readonly T[]): T => xs[rand(xs.length)]!;
    const PLAIN = ["a", "fleet-1", "x y", "12", "1.5", "true", "null", "~", "a#b", "a #c", "-x", "x:y", "é", "0o7", "1e3", ".inf", "a,b"];
    const QUOTED = ["''", "'it''s'", "'a: b'", '""', '"a\\tb"', '"\\u00e9"', '"x\\"y"', '"line\\nnext"', "'#x'"];
    const scalar = () => (rand(3) ? pick(PLAIN) : pick(QUOTED));
    const flow = (depth: number): string => {
      if (depth > 2 || rand(3) === 0) return scalar();
      return rand(2)
        ? `[${Array.from({ length: rand(3) }, () => flow(depth + 1)).join(", ")}]`
        : `{${Array.from({ length: rand(3) }, (_, i) => `k${i}: ${flow(depth + 1)}`).join(", ")}}`;
    };
    const block = (depth: number, indent: string): string => {
      const kind = depth > 3 ? rand(2) * 5 : rand(8);
      if (kind === 0) return ` ${rand(4) ? flow(depth) : scalar()}${rand(5) ? "" : " # note"}\n`;
      if (kind === 5) return rand(2) ? "\n" : ` ${pick(PLAIN)}\n${indent}  ${pick(PLAIN)}\n`; // empty, or a plain scalar over two lines
      if (kind === 6) return ` [${pick(PLAIN)},\n${indent}  ${flow(depth)}]\n`; // a flow sequence over two lines
      if (kind === 7) return "\n" + `${indent}- k: ${scalar()}\n${indent}  j: ${scalar()}\n`; // compact mappings in a sequence
      if (kind === 1) {
        const style = pick(["|", ">", "|-", ">+", "|2"]);
        return ` ${style}\n${Array.from({ length: 1 + rand(3) }, () => `${indent}  ${pick(PLAIN)}\n`).join("")}${rand(3) ? "" : "\n"}`;
      }
      if (kind === 2) return "\n" + Array.from({ length: 1 + rand(3) }, () => `${indent}-${block(depth + 1, indent + "  ")}`).join("");
      return "\n" + Array.from({ length: 1 + rand(4) }, (_, i) => `${indent}${rand(8) ? `k${i}` : pick(["k0", "'q k'", "1"])}:${block(depth + 1, indent + "  ")}`).join("");
    };
    const breakIt = (text: string): string => {
      const lines = text.split("\n");
      const at = rand(lines.length);
      const broken = [(l: string) => " " + l, (l: string) => l.replace(/^ {2}/, " "), (l: string) => "\t" + l, (l: string) => l.replace(":", ""), (l: string) => l + ' "'];
      lines[at] = pick(broken)(lines[at]!);
      return lines.join("\n");
    };
    let taken = 0;
    for (let i = 0; i < Number(process.env.FUZZ_N ?? 600); i++) {
      let text = Array.from({ length: 1 + rand(4) }, (_, k) => `key${k}:${block(1, "  ")}`).join("");
      if (rand(6) === 0) text = `${text}${pick(["", "...\n"])}---\nother:${block(1, "  ")}`;
      if (rand(4) === 0) text = breakIt(text);
      if (agree(text)) taken++;
    }
    expect(taken).toBeGreaterThan(300);
  });

  it("hands back every file whose reading it cannot promise", () => {
    const handedBack = [
      "a: &x {b: 1}\nc: *x\n", // aliases: js-yaml would share one object between both places
      "a: &x [1]\nb: [*x]\n",
      "a: &x 1\n", // an anchor alone: not worth telling apart
      "[a]: b\n", // a flow collection as a key (js-yaml would make it the string "a")
      "x: {[a, b]: c}\n",
      "{a: 1}: b\n",
      "%YAML 1.1\n---\na: yes\n", // the directive changes the schema in `yaml`
      "a: 1\na: 2\n", // duplicate key: reported with both positions
      "a: !custom x\n", // unknown tag: a warning from the positional parser
      "? [a]\n: b\n", // complex key
      "- a\n- b\n", // not a mapping
      "a: [1, 2\n", // syntax error
      "a:\n  b: 1\n c: 2\n", // bad indentation
    ];
    for (const text of handedBack) expect(quickParse(text), text).toBeUndefined();
  });

  it("still takes files whose `&`, `?` or `]` are only text", () => {
    for (const text of ["a: \"R&D\"\n", "a: R&D team\n", "q: 'why?'\n", "a: x?y\n", "a: [b]\nc: d\n", "a: {b: [c]}\n"]) {
      expect(agree(text), text).toBe(true);
    }
  });

  it("keeps empty documents out, like the positional parser", () => {
    expect(quickParse("# only a comment\n")).toEqual([]);
    expect(quickParse("---\n---\na: 1\n")).toEqual([{ a: 1 }]);
  });

  it("keeps a `__proto__` key a plain key", () => {
    const [doc] = quickParse("__proto__: {polluted: true}\n")!;
    expect(Object.keys(doc!)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("positions of a quickly read manifest", () => {
  const text = [
    "apiVersion: appstreamctl/v1",
    "metadata: { name: t }",
    "stacks:",
    "  - name: s",
    "    displayName: ${env:MISSING}",
    "  - name: s",
    "",
  ].join("\n");

  it("are computed on demand and match what the positional path reports", () => {
    const loaded = analyzeManifest([{ file: "m.yaml", text }], {}, defaultChecks());
    const byCode = Object.fromEntries(loaded.diagnostics.map((d) => [d.code, d.loc]));
    expect(byCode["manifest.env-missing"]).toEqual({ file: "m.yaml", line: 5, col: 18 });
    expect(byCode["name.duplicate"]).toEqual({ file: "m.yaml", line: 6, col: 11 });
    expect(loaded.sources.keys.get("/stacks/1/name")).toEqual({ file: "m.yaml", line: 6, col: 5 });
  });

  it("give the same diagnostics as a file the quick reader hands back", () => {
    // An alias elsewhere in the file sends it down the positional path; the findings must not change.
    const positional = text + "x: &a 1\ny: *a\n";
    expect(quickParse(positional)).toBeUndefined();
    const strip = (t: string) => analyzeManifest([{ file: "m.yaml", text: t }], {}, defaultChecks()).diagnostics
      .filter((d) => d.code !== "schema.unknown-field")
      .map((d) => ({ code: d.code, loc: d.loc, message: d.message }));
    expect(strip(positional)).toEqual(strip(text));
  });
});
