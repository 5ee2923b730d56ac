/**
 * `.appstreamignore`: global drift ignore rules, gitignore-style. Each line is `ADDRESS-GLOB` (the
 * whole resource) or `ADDRESS-GLOB FIELD-PATH-GLOB` (one field and everything below it); `#` starts a
 * comment, a leading `!` negates, and the last matching line wins — so `Fleet/*` then `!Fleet/prod-*`
 * ignores every fleet but the production ones.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** The file name looked up next to the first manifest file, else in the working directory. */
export const IGNORE_FILE = ".appstreamignore";

/** One parsed line. */
export interface IgnoreRule {
  negate: boolean;
  address: RegExp;
  /** Absent: the rule is about the whole resource (and so about every field of it). */
  field?: RegExp;
  /** The line as written, for `-v` explanations. */
  source: string;
  line: number;
}

/** A problem in the ignore file: reported, never fatal for the lines that did parse. */
export interface IgnoreProblem {
  line: number;
  message: string;
}

/**
 * A glob as a regular expression: `**` matches anything, `*` anything but `sep`, `?` one character
 * other than `sep`. Addresses use `/` as the separator (`UserAssociation/*\/*`), field paths `.`.
 */
export function globToRegExp(glob: string, sep: "/" | "."): RegExp {
  const notSep = sep === "/" ? "[^/]" : "[^.]";
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (c === "*") out += `${notSep}*`;
    else if (c === "?") out += notSep;
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Parses the text of an ignore file. */
export function parseIgnore(text: string): { rules: IgnoreRule[]; problems: IgnoreProblem[] } {
  const rules: IgnoreRule[] = [];
  const problems: IgnoreProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) return;
    const negate = line.startsWith("!");
    const parts = (negate ? line.slice(1) : line).trim().split(/\s+/);
    if (parts.length > 2 || !parts[0]) {
      problems.push({ line: i + 1, message: `expected "ADDRESS-GLOB [FIELD-PATH-GLOB]", got "${raw.trim()}"` });
      return;
    }
    rules.push({
      negate, address: globToRegExp(parts[0], "/"), source: raw.trim(), line: i + 1,
      ...(parts[1] ? { field: globToRegExp(parts[1], ".") } : {}),
    });
  });
  return { rules, problems };
}

/** `a.b.c` → `a`, `a.b`, `a.b.c`: a rule on a field covers what lies below it. */
function prefixes(path: string): string[] {
  const parts = path.split(".");
  return parts.map((_, i) => parts.slice(0, i + 1).join("."));
}

/**
 * Whether the rules ignore a resource (no `field`) or one field of it. Resource-level rules apply to
 * every field; field rules never hide a whole resource. The last matching rule decides.
 */
export function isIgnored(rules: readonly IgnoreRule[], address: string, field?: string): boolean {
  let ignored = false;
  for (const r of rules) {
    if (!r.address.test(address)) continue;
    if (r.field) {
      if (field === undefined || !prefixes(field).some((p) => r.field!.test(p))) continue;
    }
    ignored = !r.negate;
  }
  return ignored;
}

/** Where the ignore file is looked up: beside the first manifest file read, else in `cwd`. */
export function ignoreFilePath(cwd: string, firstFile: string | undefined): string {
  return firstFile ? resolve(dirname(resolve(cwd, firstFile)), IGNORE_FILE) : resolve(cwd, IGNORE_FILE);
}

/** Reads and parses the ignore file at `path`; a missing file is no rules. */
export async function loadIgnore(path: string): Promise<{ rules: IgnoreRule[]; problems: IgnoreProblem[]; found: boolean }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { rules: [], problems: [], found: false };
    throw err;
  }
  return { ...parseIgnore(text), found: true };
}
