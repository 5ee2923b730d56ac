/**
 * Which files `-f` names: each path is a file or a directory whose `*.yaml` / `*.yml` files are read in
 * sorted order; no `-f` means `./appstream.yaml`. Paths resolve against `io.cwd`, not the process.
 *
 * Symbolic links are followed, as every tool users know does. Anything named as a manifest that cannot
 * be read as a regular file (a dangling link, a link loop, a FIFO, a directory called `x.yaml`, a file
 * without read permission) is an error, never a skip: `--prune` deletes what the manifest no longer
 * declares, so a file silently left out would delete everything it declares.
 */
import { lstat, readdir, readFile, readlink, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../core/errors.js";
import { decodeUtf8 } from "./encoding.js";

/** A manifest file to read: where it is, and how diagnostics name it. */
export interface ManifestFile {
  absolute: string;
  display: string;
}

/** The default manifest when no `-f` is given (DESIGN.md §2). */
export const DEFAULT_MANIFEST = "appstream.yaml";

/** The names a directory's manifest files have; anything else in a `-f DIR` is not a manifest. */
export const MANIFEST_NAME = /\.ya?ml$/i;

/** How a path is shown: relative to the working directory when inside it, absolute otherwise. */
export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? absolute : rel.split(path.sep).join("/");
}

function unreadable(display: string, why: string, hint?: string): Diagnostic {
  const d: Diagnostic = { code: "manifest.file-unreadable", severity: "error", message: `cannot read ${display}: ${why}` };
  if (hint) d.hint = hint;
  return d;
}

/** What a path is, following links; or why it is not a file that can be read. */
async function classify(absolute: string, display: string): Promise<{ info?: Stats; problem?: Diagnostic }> {
  try {
    return { info: await stat(absolute) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const link = await lstat(absolute).catch(() => undefined);
    if (code === "ELOOP") return { problem: unreadable(display, "it is a symbolic link loop") };
    if (link?.isSymbolicLink()) {
      const target = await readlink(absolute).catch(() => "?");
      return { problem: unreadable(display, `it is a symbolic link to ${target}, which does not exist`, "fix or remove the link; a manifest file that is left out would make --prune delete what it declares") };
    }
    if (code === "ENOENT" || code === "ENOTDIR") return {};
    return { problem: unreadable(display, (err as Error).message) };
  }
}

/** Why a path named as a manifest file cannot be read as one, or undefined when it is a regular file. */
function notAFile(info: Stats, display: string): Diagnostic | undefined {
  if (info.isFile()) return undefined;
  if (info.isDirectory()) return unreadable(display, "it is a directory named like a manifest file", "rename it, or pass it with its own -f");
  const what = info.isFIFO() ? "a named pipe (FIFO)" : info.isSocket() ? "a socket" : "a device";
  return unreadable(display, `it is ${what}, not a regular file`);
}

/**
 * A subdirectory of `-f DIR` is not read (only the files directly in DIR are); when it holds manifest
 * files, saying so is what keeps a split-up manifest from being pruned half away.
 */
async function skippedDirectory(cwd: string, arg: string, dir: string): Promise<Diagnostic[]> {
  const inside = await readdir(dir).catch(() => [] as string[]);
  const count = inside.filter((n) => MANIFEST_NAME.test(n)).length;
  if (count === 0) return [];
  const shown = displayPath(cwd, dir);
  return [{
    code: "manifest.file-skipped", severity: "warning",
    message: `${shown} holds ${count} manifest file${count === 1 ? "" : "s"} that -f ${arg} does not read: only the files directly in ${arg} are read`,
    hint: `pass -f ${shown} as well if they belong to this manifest; --prune deletes what no file read declares`,
  }];
}

/** Expands `-f` arguments into files, reporting paths that do not exist, hold no manifest or cannot be read. */
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
    const { info, problem } = await classify(absolute, arg);
    if (problem) {
      diagnostics.push(problem);
      continue;
    }
    if (!info) {
      const missing: Diagnostic = { code: "manifest.file-not-found", severity: "error", message: `no such file or directory: ${arg}` };
      if (args.length === 0) missing.hint = "pass the manifest with -f FILE, or run `appstreamctl init` to write a starter one";
      diagnostics.push(missing);
      continue;
    }
    if (!info.isDirectory()) {
      const wrong = notAFile(info, arg);
      if (wrong) diagnostics.push(wrong);
      else add(absolute);
      continue;
    }
    const listing = await readdir(absolute, { withFileTypes: true });
    const names = listing.map((e) => e.name).filter((n) => MANIFEST_NAME.test(n)).sort();
    for (const sub of listing.filter((e) => e.isDirectory() && !MANIFEST_NAME.test(e.name)).map((e) => e.name).sort()) {
      diagnostics.push(...(await skippedDirectory(cwd, arg, path.join(absolute, sub))));
    }
    if (names.length === 0) {
      diagnostics.push({ code: "manifest.file-not-found", severity: "error", message: `directory ${arg} holds no *.yaml or *.yml file` });
    }
    for (const name of names) {
      const entry = path.join(absolute, name);
      const display = displayPath(cwd, entry);
      const found = await classify(entry, display);
      const problem = found.problem ?? (found.info ? notAFile(found.info, display) : unreadable(display, "it disappeared while the directory was read"));
      if (problem) diagnostics.push(problem);
      else add(entry);
    }
  }
  return { files, diagnostics };
}

/** Reads a file as UTF-8 text, or reports why it could not (unreadable, or not UTF-8, with the position). */
export async function readManifestText(file: ManifestFile): Promise<{ text?: string; diagnostic?: Diagnostic }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absolute);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { diagnostic: unreadable(file.display, reason) };
  }
  return decodeUtf8(file.display, bytes);
}
