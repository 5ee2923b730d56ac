/**
 * Which files `-f` names: each path is a file or a directory whose `*.yaml` / `*.yml` files are read in
 * sorted order; no `-f` means `./appstream.yaml`. Paths resolve against `io.cwd`, not the process.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Diagnostic } from "../core/errors.js";

/** A manifest file to read: where it is, and how diagnostics name it. */
export interface ManifestFile {
  absolute: string;
  display: string;
}

/** The default manifest when no `-f` is given (DESIGN.md §2). */
export const DEFAULT_MANIFEST = "appstream.yaml";

/** How a path is shown: relative to the working directory when inside it, absolute otherwise. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel.split(path.sep).join("/");
}

/** Expands `-f` arguments into files, reporting paths that do not exist or hold no manifest. */
export async function resolveManifestFiles(
  cwd: string,
  args: readonly string[],
): Promise<{ files: ManifestFile[]; diagnostics: Diagnostic[] }> {
  const files: ManifestFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (absolute: string): void => {
    // The same file named twice (e.g. `-f dir -f dir/a.yaml`) would duplicate every resource in it.
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ absolute, display: displayPath(cwd, absolute) });
  };
  for (const arg of args.length > 0 ? args : [DEFAULT_MANIFEST]) {
    const absolute = path.resolve(cwd, arg);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      const missing: Diagnostic = { code: "manifest.file-not-found", severity: "error", message: `no such file or directory: ${arg}` };
      if (args.length === 0) missing.hint = "pass the manifest with -f FILE, or run `appstreamctl init` to write a starter one";
      diagnostics.push(missing);
      continue;
    }
    if (!info.isDirectory()) {
      add(absolute);
      continue;
    }
    const entries = (await readdir(absolute, { withFileTypes: true }))
      .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
      .map((e) => e.name)
      .sort();
    if (entries.length === 0) {
      diagnostics.push({ code: "manifest.file-not-found", severity: "error", message: `directory ${arg} holds no *.yaml or *.yml file` });
    }
    for (const name of entries) add(path.join(absolute, name));
  }
  return { files, diagnostics };
}

/** Reads a file as UTF-8 text, or reports why it could not. */
export async function readManifestText(file: ManifestFile): Promise<{ text?: string; diagnostic?: Diagnostic }> {
  try {
    return { text: await readFile(file.absolute, "utf8") };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { diagnostic: { code: "manifest.file-not-found", severity: "error", message: `cannot read ${file.display}: ${reason}` } };
  }
}
