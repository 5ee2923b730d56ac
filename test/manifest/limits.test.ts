/**
 * Hostile input is bounded before either YAML reader recurses or expands it: nesting by a text scan,
 * aliases by a budget of values per file. Both give a coded, positioned error.
 */
import { describe, expect, it } from "vitest";
import { defaultChecks, analyzeManifest } from "../../src/manifest/index.js";
import { MAX_ALIAS_VALUES, MAX_DEPTH, tooDeepAt } from "../../src/manifest/limits.js";
import { parseYamlFile } from "../../src/manifest/parse.js";
import { quickParse } from "../../src/manifest/quick-parse.js";

const HEAD = "apiVersion: appstreamctl/v1\nmetadata:\n  name: t\n";
const diags = (text: string) =>
  analyzeManifest([{ file: "m.yaml", text }], {}, defaultChecks()).diagnostics.map((d) => [d.code, d.loc?.line, d.loc?.col]);

describe("nesting depth", () => {
  it("a real manifest is nowhere near the limit", () => {
    const text = `${HEAD}fleets:\n  - name: f\n    vpcConfig:\n      subnetIds: [subnet-0123abcd, "a]]]]"]\n    tags: {a: '[[[[', b: "{{{"}  # [[[[\n    description: |\n      [[[[[[ {{{{{\n`;
    expect(tooDeepAt(text, 6)).toBeUndefined();
    expect(tooDeepAt(text, 4)).toBe(text.indexOf("[subnet"));
  });

  it("counts block collections by indentation, and `- - -` items on one line", () => {
    const block = Array.from({ length: 5 }, (_, i) => `${" ".repeat(i)}k${i}:\n`).join("");
    expect(tooDeepAt(block, 5)).toBeUndefined();
    expect(tooDeepAt(`${block}     x:\n`, 5)).toBe(block.length + 5);
    expect(tooDeepAt("a:\n  - - - - x\n", 5)).toBe(3 + 2 + 8);
  });

  it("flow brackets 10,000 deep: a positioned error, and neither reader recurses into them", () => {
    const text = `${HEAD}x-deep: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`;
    expect(quickParse(text)).toBeUndefined();
    expect(diags(text)).toEqual([["manifest.too-deep", 4, 9 + MAX_DEPTH - 1]]);
  });

  it("block nesting 1,000 deep: a positioned error", () => {
    const text = HEAD + "x-deep:\n" + Array.from({ length: 1_000 }, (_, i) => `${" ".repeat(i + 1)}k:\n`).join("");
    expect(diags(text)).toEqual([["manifest.too-deep", 4 + MAX_DEPTH, MAX_DEPTH + 1]]);
  });

  it("an anchor whose own alias sits inside it is too deep, not silently null", () => {
    expect(diags(`${HEAD}x-loop: &a [1, *a]\n`)).toEqual([["manifest.too-deep", 4, 16]]);
  });
});

describe("alias expansion", () => {
  const bomb = (levels: number) =>
    `${HEAD}x-lol:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n` +
    Array.from({ length: levels }, (_, i) => {
      const [me, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
      return `  ${me}: &${me} [${Array(9).fill(`*${prev}`).join(", ")}]\n`;
    }).join("");

  it("a 600-byte alias bomb stops at the budget, with the alias that crossed it", () => {
    const text = bomb(8);
    expect(text.length).toBeLessThan(600);
    const parsed = parseYamlFile("m.yaml", text);
    expect(parsed.diagnostics.map((d) => [d.code, d.loc?.line, d.loc?.col])).toEqual([["manifest.alias-limit", 9, 14]]);
    // What was built is bounded by the budget, not by 9^9.
    expect(parsed.fragments[0]!.nodes.size).toBeLessThan(MAX_ALIAS_VALUES + 200);
  });

  it("the same bomb through analyze: one error, also when the quick reader would have shared the objects", () => {
    expect(quickParse(bomb(8))).toBeUndefined();
    expect(diags(bomb(8))).toEqual([["manifest.alias-limit", 9, 14]]);
  });

  it("aliases of ordinary size still read", () => {
    const text = `${HEAD}x-shared: &tags {team: euc, cost: "42"}\nstacks:\n${Array.from({ length: 300 }, (_, i) => `  - name: s${i}\n    tags: *tags\n`).join("")}`;
    const loaded = analyzeManifest([{ file: "m.yaml", text }], {}, defaultChecks());
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.manifest.stacks[299]?.tags).toEqual({ team: "euc", cost: "42" });
  });
});

describe("the net under the depth scan", () => {
  it("brackets the scan cannot see (after a quote opened inside a plain scalar) still end in manifest.too-deep", () => {
    // `say "hi` is a plain scalar to YAML; the scan takes the quote as opening a string and skips on.
    const text = `${HEAD}x-a: say "hi\nx-b: ${"[".repeat(3000)}${"]".repeat(3000)}\nx-c: a"b\n`;
    expect(tooDeepAt(text)).toBeUndefined();
    expect(diags(text).map((d) => d[0])).toEqual(["manifest.too-deep"]);
  });
});
