/**
 * Secrets in the manifest: which pointers hold them (from the kinds' `sensitive` field marks), the
 * warning for a password written in clear, and the masked file text used when showing source lines.
 */
import type { Diagnostic } from "../core/errors.js";
import type { AnyManifestKind } from "../kinds/contract.js";
import type { NodeLookup } from "./parse.js";
import { childPointer, isWithin, locate, valueAt } from "./pointer.js";
import { humanPath } from "./schema-errors.js";
import type { SourceMap } from "./types.js";

/** Pointers of every sensitive value present in the manifest (whole fields or their marked sub-fields). */
export function sensitivePointers(kinds: readonly AnyManifestKind[], root: unknown): Set<string> {
  const out = new Set<string>();
  for (const kind of kinds) {
    const list = valueAt(root, `/${kind.key}`);
    if (!Array.isArray(list)) continue;
    const marked = Object.entries(kind.fields as Record<string, { sensitive?: true | readonly string[] }>).filter(([, def]) => def.sensitive);
    list.forEach((_, i) => {
      for (const [field, def] of marked) {
        const base = childPointer(`/${kind.key}`, i, field);
        const paths = def.sensitive === true ? [base] : (def.sensitive ?? []).map((sub) => childPointer(base, ...sub.split(".")));
        for (const p of paths) if (valueAt(root, p) !== undefined) out.add(p);
      }
    });
  }
  return out;
}

/** True when the pointer is a secret or lies inside one. */
export function isSecret(sensitive: ReadonlySet<string>, pointer: string): boolean {
  for (const s of sensitive) if (isWithin(pointer, s)) return true;
  return false;
}

/**
 * A secret written literally (not taken from the environment) is a warning: the file then holds the
 * password, and files end up in git.
 */
export function literalSecrets(
  root: unknown,
  sensitive: ReadonlySet<string>,
  fromEnv: ReadonlySet<string>,
  unresolved: ReadonlySet<string>,
  sources: SourceMap,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const pointer of sensitive) {
    if (fromEnv.has(pointer) || unresolved.has(pointer) || typeof valueAt(root, pointer) !== "string") continue;
    const d: Diagnostic = {
      code: "secret.literal",
      severity: "warning",
      message: `the secret ${humanPath(pointer)} is written in the manifest; anyone who can read the file can read it`,
      pointer,
      hint: "write `${env:NAME}` and set NAME in the environment (for example from your CI secret store)",
    };
    const loc = locate(sources, pointer);
    if (loc) d.loc = loc;
    out.push(d);
  }
  return out;
}

const ENV_REFERENCE = /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/g;

/**
 * The file texts with every literal secret replaced by `*` (same length, newlines kept), so that a
 * source line shown under a diagnostic never prints a password. `written` is the merged manifest before
 * interpolation: a secret written only as `${env:…}` references has nothing to mask, so its position (for
 * a file the fast reader took, the positional parser) is never needed for it.
 */
export function maskedTexts(
  texts: ReadonlyMap<string, string>,
  sensitive: ReadonlySet<string>,
  nodes: NodeLookup,
  written: unknown,
): Map<string, string> {
  const out = new Map(texts);
  for (const pointer of sensitive) {
    const value = valueAt(written, pointer);
    if (typeof value === "string" && value.replace(ENV_REFERENCE, "") === "") continue;
    const info = nodes.get(pointer);
    if (!info) continue;
    const text = out.get(info.file);
    if (text === undefined) continue;
    const [start, end] = info.range;
    // `${env:NAME}` references stay readable: they name a variable, not a secret.
    const masked = text.slice(start, end).replace(/\$\{env:[A-Za-z_][A-Za-z0-9_]*\}|[^\r\n]/g, (m) => (m.length > 1 ? m : "*"));
    out.set(info.file, text.slice(0, start) + masked + text.slice(end));
  }
  return out;
}
