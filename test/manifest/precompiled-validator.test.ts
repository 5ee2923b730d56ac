/**
 * The validator `npm run build` precompiles (scripts/gen-validator.ts) must be the validator ajv would
 * compile at run time: same verdicts, same errors, on every example and invalid fixture. `npm test`
 * builds first, so the file is there; it is looked up in dist/ because that is where it is used.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { manifestSchema } from "../../src/kinds/index.js";
import { parseYamlFile } from "../../src/manifest/parse.js";
import { cacheFileOf, loadCached } from "../../src/manifest/code-cache.js";
import { compileSchema, newAjv, PRECOMPILED_FILE, schemaDigest } from "../../src/manifest/schema-check.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BUILT = path.join(ROOT, "dist/src/manifest", PRECOMPILED_FILE);
const filesIn = (dir: string) => readdirSync(path.join(ROOT, dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(ROOT, dir, f));

describe("precompiled manifest validator", () => {
  const built = () => createRequire(import.meta.url)(BUILT) as { default: ValidateFunction; schemaDigest: string };

  it("is built for the schema the kinds generate now", () => {
    expect(existsSync(BUILT), "run npm run build").toBe(true);
    expect(built().schemaDigest).toBe(schemaDigest(manifestSchema()));
  });

  it("gives the runtime-compiled validator's verdict and errors on every example and invalid fixture", () => {
    const precompiled = built().default;
    const runtime = newAjv().compile(manifestSchema());
    let invalid = 0;
    for (const file of [...filesIn("examples"), ...filesIn("test/fixtures/invalid")]) {
      for (const { value } of parseYamlFile(file, readFileSync(file, "utf8")).fragments) {
        const verdict = runtime(value);
        expect(precompiled(value), file).toBe(verdict);
        // parentSchema and data are objects from each validator's own copy of the schema: compared by value.
        expect(precompiled.errors ?? null, file).toEqual(runtime.errors ?? null);
        if (!verdict) invalid++;
      }
    }
    expect(invalid).toBeGreaterThan(40);
  });

  it("is loaded through its code cache, which V8 takes, and validates the same through it", () => {
    const loaded = loadCached(BUILT);
    expect(existsSync(cacheFileOf(BUILT)), "run npm run build").toBe(true);
    expect(loaded.cached).toBe(true);
    const cached = (loaded.exports as { default: ValidateFunction }).default;
    const runtime = newAjv().compile(manifestSchema());
    for (const file of filesIn("test/fixtures/invalid").slice(0, 20)) {
      for (const { value } of parseYamlFile(file, readFileSync(file, "utf8")).fragments) {
        expect(cached(value), file).toBe(runtime(value));
        expect(cached.errors ?? null, file).toEqual(runtime.errors ?? null);
      }
    }
  });

  it("is not used for a schema it was not made from", () => {
    const other = { ...manifestSchema(), title: "another schema" };
    const validate = compileSchema(other);
    expect(validate).not.toBe(built().default);
    expect(validate({ apiVersion: "appstreamctl/v1", metadata: { name: "t" } })).toBe(true);
  });
});
