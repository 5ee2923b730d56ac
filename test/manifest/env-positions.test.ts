/**
 * An unset variable is reported at its reference. A manifest read by the fast reader has no positions;
 * finding them means the positional parser (seconds on a large roster, for a note that a CI plan without
 * secrets prints every time), so a reference written once is placed from the text alone. Wherever that
 * could be wrong, the positional parser decides, and the two agree everywhere.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";

const parsed = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../src/manifest/parse.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/manifest/parse.js")>();
  return { ...real, parseYamlFile: (...args: Parameters<typeof real.parseYamlFile>) => (parsed.count++, real.parseYamlFile(...args)) };
});

const { analyzeManifest, defaultChecks } = await import("../../src/manifest/index.js");
const { quickParse } = await import("../../src/manifest/quick-parse.js");

const HEAD = ["apiVersion: appstreamctl/v1", "metadata: { name: t }", "stacks:"];
const manifest = (...lines: string[]) => [...HEAD, ...lines, ""].join("\n");
/** The same text, sent down the positional path by an anchor and its alias at the end. */
const positionalToo = (text: string) => `${text}x: &a 1\ny: *a\n`;

function envDiagnostics(text: string, env: Record<string, string> = {}) {
  return analyzeManifest([{ file: "m.yaml", text }], env, defaultChecks()).diagnostics
    .filter((d) => d.code.startsWith("manifest.env"))
    .map((d) => ({ code: d.code, pointer: d.pointer, loc: d.loc, message: d.message }));
}

describe("positions of unset variables", () => {
  beforeEach(() => {
    parsed.count = 0;
  });

  it("are read from the text, without the positional parser, for a reference written once", () => {
    const text = manifest("  - name: s", "    displayName: ${env:MISSING}");
    expect(quickParse(text)).toBeDefined();
    expect(envDiagnostics(text)).toEqual([{
      code: "manifest.env-missing", pointer: "/stacks/0/displayName", loc: { file: "m.yaml", line: 5, col: 18 },
      message: "environment variable MISSING is not set",
    }]);
    expect(parsed.count).toBe(0);
  });

  const cases: Record<string, string> = {
    "plain": manifest("  - name: s", "    displayName: ${env:MISSING}"),
    "double-quoted": manifest("  - name: s", '    displayName: "x ${env:MISSING} y"'),
    "single-quoted": manifest("  - name: s", "    displayName: '${env:MISSING}'"),
    "two names in one value": manifest("  - name: s", "    displayName: ${env:A}-${env:B}"),
    "the same reference twice": manifest("  - name: s", "    displayName: ${env:MISSING}", "    description: ${env:MISSING}"),
    "a comment naming it first": manifest("  # set ${env:MISSING} before planning", "  - name: s", "    displayName: ${env:MISSING}"),
    "an escaped literal beside it": manifest("  - name: s", "    description: $${env:MISSING}", "    displayName: ${env:MISSING}"),
    "written escaped, shown verbatim in a comment": manifest("  - name: s # ${env:MISSING}", '    displayName: "\\x24{env:MISSING}"'),
    "a block scalar": manifest("  - name: s", "    description: |", "      line", "      ${env:MISSING}"),
    "a malformed reference": manifest("  - name: s", "    displayName: ${ENV:MISSING}"),
    "an unclosed reference": manifest("  - name: s", "    displayName: ${env:MISSING"),
    "written escaped, shown verbatim as a key": manifest("  - name: s", '    tags: { "${env:MISSING}": x }', '    displayName: "\\x24{env:MISSING}"'),
  };

  it.each(Object.entries(cases))("are where the positional parser puts them: %s", (_name, text) => {
    expect(quickParse(text)).toBeDefined();
    const quick = envDiagnostics(text);
    const positional = envDiagnostics(positionalToo(text));
    expect(quick.length).toBeGreaterThan(0);
    expect(quick).toEqual(positional);
  });

  it("leave a resolved reference alone", () => {
    expect(envDiagnostics(cases.plain!, { MISSING: "set" })).toEqual([]);
    expect(parsed.count).toBe(0);
  });
});
