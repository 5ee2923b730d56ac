/**
 * Loading a CommonJS file with V8's code cache: the bytecode the build saved beside it, so that a
 * process neither parses nor compiles the file again. The precompiled manifest validator is 0.8 MB of
 * generated code; parsing it and compiling what a large manifest runs through costs about 45 ms of CPU
 * on every start without the cache. Node 20 has no module compile cache of its own (Node 22's
 * `module.enableCompileCache` is that), hence this. A cache V8 rejects (another Node or V8 version,
 * other flags) is ignored: the file is then compiled as `require` would.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** The cache's file beside the code's. */
export const cacheFileOf = (file: string): string => `${file}.v8cache`;

function compile(file: string, cachedData?: Buffer): Script {
  // The wrapper `require` puts around a CommonJS module, so the code runs as it would under `require`.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, "utf8")}\n})`;
  return new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
}

function run(script: Script, file: string): unknown {
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** The exports of the CommonJS `file`, and whether V8 took its code cache (none, or rejected: not). */
export function loadCached(file: string): { exports: unknown; cached: boolean } {
  const cache = cacheFileOf(file);
  const script = compile(file, existsSync(cache) ? readFileSync(cache) : undefined);
  return { exports: run(script, file), cached: script.cachedDataRejected === false };
}

/** The exports of the CommonJS `file`, through its code cache when there is one V8 accepts. */
export const requireCached = (file: string): unknown => loadCached(file).exports;

/**
 * Writes `file`'s code cache (run by the build). `exercise` is given the exports and runs what a start
 * will run, so the cache holds those functions compiled too, not only the file's top level.
 */
export function writeCodeCache(file: string, exercise: (exports: unknown) => void): void {
  const script = compile(file);
  exercise(run(script, file));
  writeFileSync(cacheFileOf(file), script.createCachedData());
}
