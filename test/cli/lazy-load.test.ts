/**
 * The libraries only some runs need are loaded on first use: `yaml` (positions for diagnostics, comment-
 * keeping writes, YAML output) and ajv's compiler (the build precompiles the manifest schema). A clean
 * `validate` must load neither; one with something to report loads `yaml` for the positions it prints.
 * Checked in a child process on the built CLI, by what it has loaded when it exits.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";

const ROOT = resolve(__dirname, "../..");

/** Runs the CLI's `main` and prints which of the lazily loaded packages ended up in the module cache. */
const PROBE = `
import { createRequire } from "node:module";
const { main } = await import(${JSON.stringify(join(ROOT, "dist/src/cli/main.js"))});
const code = await main(process.argv.slice(1));
const cache = Object.keys(createRequire(import.meta.url).cache);
const loaded = (pkg) => cache.some((k) => k.includes("/node_modules/" + pkg + "/"));
console.log(JSON.stringify({ code, yaml: loaded("yaml"), ajvCompiler: cache.some((k) => k.includes("/ajv/dist/2020.js")) }));
`;

function probe(manifest: string): { code: number; yaml: boolean; ajvCompiler: boolean } {
  const dir = mkdtempSync(join(tmpdir(), "lazy-"));
  writeFileSync(join(dir, "appstream.yaml"), manifest);
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", PROBE, "validate", "-f", join(dir, "appstream.yaml")], { cwd: ROOT, encoding: "utf8" });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as { code: number; yaml: boolean; ajvCompiler: boolean };
}

const CLEAN = "apiVersion: appstreamctl/v1\nmetadata: {name: lazy}\nstacks:\n  - name: s1\n";

test("a clean validate loads neither yaml nor ajv's compiler", () => {
  expect(probe(CLEAN)).toEqual({ code: 0, yaml: false, ajvCompiler: false });
});

test("a validate with a problem to show loads yaml for its positions, still not ajv's compiler", () => {
  expect(probe(CLEAN + "    description: 5\n")).toEqual({ code: 1, yaml: true, ajvCompiler: false });
});
