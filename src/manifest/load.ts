/**
 * `loadManifest`: the effectful edge of the manifest module. It finds and reads the files named by
 * `-f`, then hands the texts to the pure `analyzeManifest`.
 */
import { MANIFEST_KINDS, manifestSchema } from "../kinds/index.js";
import type { Io } from "../shared/io.js";
import { analyzeManifest, type Checks } from "./analyze.js";
import { readManifestText, resolveManifestFiles } from "./files.js";
import type { LoadedManifest } from "./types.js";

let builtIn: Checks | undefined;

/**
 * The schema and kinds of this build: what `validate`, `plan`, `apply` and `drift` check against. Built
 * once per process, because the compiled validator is cached per schema object.
 */
export function defaultChecks(): Checks {
  builtIn ??= { schema: manifestSchema(), kinds: MANIFEST_KINDS };
  return builtIn;
}

/**
 * Reads, merges, interpolates and validates the manifest named by `files` (the `-f` values; none means
 * `./appstream.yaml`), resolving paths against `io.cwd` and variables from `io.env`. Never throws for
 * bad input: every problem is a diagnostic in the result.
 */
export async function loadManifest(
  io: Pick<Io, "cwd" | "env">,
  files: readonly string[],
  checks: Checks = defaultChecks(),
): Promise<LoadedManifest> {
  const { files: resolved, diagnostics } = await resolveManifestFiles(io.cwd, files);
  const texts: { file: string; text: string }[] = [];
  for (const file of resolved) {
    const { text, diagnostic } = await readManifestText(file);
    if (diagnostic) diagnostics.push(diagnostic);
    if (text !== undefined) texts.push({ file: file.display, text });
  }
  return analyzeManifest(texts, io.env, checks, diagnostics);
}
