/**
 * A CommonJS file loaded through V8's code cache (code-cache.ts) gives the exports `require` gives; a
 * cache V8 rejects, or none, only costs the compile.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cacheFileOf, loadCached, writeCodeCache } from "../../src/manifest/code-cache.js";

/** A module of its own text each time: V8 keeps what it compiled per source text within a process. */
function module(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "asctl-code-cache-")), "m.cjs");
  writeFileSync(file, [
    `// ${file}`,
    "const path = require('node:path');",
    "exports.square = (n) => n * n;",
    "module.exports.where = () => path.basename(__filename) + ' in ' + path.basename(__dirname).slice(0, 16);",
  ].join("\n"));
  return file;
}

describe("code cache", () => {
  it("loads through a cache the build wrote, as require would", () => {
    const file = module();
    writeCodeCache(file, (exports) => void (exports as { square: (n: number) => number }).square(3));
    const loaded = loadCached(file);
    expect(loaded.cached).toBe(true);
    const m = loaded.exports as { square: (n: number) => number; where: () => string };
    const required = createRequire(import.meta.url)(file) as typeof m;
    expect(m.square(7)).toBe(49);
    expect(m.where()).toBe(required.where());
  });

  it("compiles as usual without a cache, or with one V8 rejects", () => {
    expect(loadCached(module()).cached).toBe(false);
    const file = module();
    writeFileSync(cacheFileOf(file), Buffer.from("not a code cache"));
    const loaded = loadCached(file);
    expect(loaded.cached).toBe(false);
    expect((loaded.exports as { square: (n: number) => number }).square(5)).toBe(25);
  });
});
