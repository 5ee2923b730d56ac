/**
 * The invalid corpus: every file (or directory of files) under test/fixtures/invalid holds one mistake
 * and declares, in `# expect: CODE LINE:COL` comments, exactly the diagnostics it must produce. The
 * wording is free to change; codes and positions are the contract.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadManifest } from "../../src/manifest/index.js";

const DIR = path.resolve(import.meta.dirname, "../fixtures/invalid");
const ENV = { APPSTREAM_AD_PASSWORD: "fixture-password" };

interface Expected {
  code: string;
  file: string;
  line: number;
  col: number;
}

function expectationsOf(display: string, text: string): Expected[] {
  const out: Expected[] = [];
  for (const m of text.matchAll(/^# expect: (\S+) (\d+):(\d+)$/gm)) {
    out.push({ code: m[1]!, file: display, line: Number(m[2]), col: Number(m[3]) });
  }
  return out;
}

function fixtureFiles(name: string): string[] {
  const full = path.join(DIR, name);
  if (!statSync(full).isDirectory()) return [name];
  return readdirSync(full).filter((f) => f.endsWith(".yaml")).sort().map((f) => `${name}/${f}`);
}

const fixtures = readdirSync(DIR).filter((n) => n.endsWith(".yaml") || statSync(path.join(DIR, n)).isDirectory()).sort();

describe("invalid corpus", () => {
  it("has at least 70 fixtures, each expecting at least one diagnostic", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(70);
    for (const name of fixtures) {
      const expected = fixtureFiles(name).flatMap((f) => expectationsOf(f, readFileSync(path.join(DIR, f), "utf8")));
      expect(expected.length, name).toBeGreaterThan(0);
    }
  });

  it.each(fixtures)("%s", async (name) => {
    const files = fixtureFiles(name);
    const expected = files.flatMap((f) => expectationsOf(f, readFileSync(path.join(DIR, f), "utf8")));
    const loaded = await loadManifest({ cwd: DIR, env: ENV }, [name]);
    const actual = loaded.diagnostics.map((d) => ({ code: d.code, file: d.loc?.file ?? "", line: d.loc?.line ?? 0, col: d.loc?.col ?? 0 }));
    const key = (e: Expected): string => `${e.file}:${e.line}:${e.col} ${e.code}`;
    expect(actual.map(key).sort()).toEqual(expected.map(key).sort());
  });

  it("covers every manifest, schema, name, reference, rule and secret code the loader can report", () => {
    const seen = new Set(
      fixtures.flatMap((n) => fixtureFiles(n)).flatMap((f) => expectationsOf(f, readFileSync(path.join(DIR, f), "utf8")).map((e) => e.code)),
    );
    const required = [
      "manifest.yaml-syntax", "manifest.duplicate-key", "manifest.not-a-mapping", "manifest.env-missing", "manifest.env-syntax",
      "manifest.api-version", "manifest.metadata-conflict",
      "schema.unknown-field", "schema.type", "schema.enum", "schema.required", "schema.pattern", "schema.range", "schema.length", "schema.items",
      "name.duplicate", "name.case-collision", "ref.unknown-fleet", "ref.unknown-stack", "ref.unknown-directory",
      "rule.image-source", "rule.capacity", "rule.elastic", "rule.multi-session", "rule.settings-group", "rule.userpool-domain",
      "rule.instance-type", "rule.timeout", "rule.image-builder", "rule.image-source-form", "rule.tags", "rule.clipboard-length",
      "rule.storage-connector", "rule.image-sharing", "rule.directory", "rule.agent-access", "secret.literal",
    ];
    expect(required.filter((c) => !seen.has(c))).toEqual([]);
  });
});
