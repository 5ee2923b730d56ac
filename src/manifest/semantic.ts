/**
 * The checks after the schema: unique names per kind, references between kinds (or to names listed
 * under `external`), and each kind's cross-field rules. Rules run only on entries the schema accepted,
 * so kind code can trust the types it declares.
 */
import type { Code, Diagnostic, Severity, SourceLocation } from "../core/errors.js";
import type { AnyManifestKind, ManifestKey, ManifestView, RefDef } from "../kinds/contract.js";
import { childPointer, locate, toPointer } from "./pointer.js";
import { keyNoun, type ManifestEntry, type SourceMap } from "./types.js";

/** A position-less problem found in one entry, with its absolute pointer. */
interface Finding {
  code: Code;
  severity: Severity;
  message: string;
  pointer: string;
  hint?: string;
}

type Lists = Partial<Record<ManifestKey, unknown>>;

function entriesOf(lists: Lists, key: ManifestKey): ManifestEntry[] {
  const v = lists[key];
  return Array.isArray(v) ? v.filter((e): e is ManifestEntry => e !== null && typeof e === "object" && !Array.isArray(e)) : [];
}

/**
 * Each entry of a kind with its index; `baseOf(i)` is the pointer of its object (built only for a
 * problem: a clean roster of 10,000 users needs none). A singleton kind's one object (named by the
 * kind) sits at `/KEY` itself.
 */
function entriesAt(lists: Lists, kind: AnyManifestKind): { entries: ManifestEntry[]; baseOf: (i: number) => string } {
  const singleton = (kind as { singleton?: { name: string } }).singleton;
  if (!singleton) return { entries: entriesOf(lists, kind.key), baseOf: (i) => toPointer([kind.key, i]) };
  const v = lists[kind.key];
  const entries = v === null || typeof v !== "object" || Array.isArray(v) ? [] : [{ ...(v as ManifestEntry), [kind.identity]: singleton.name }];
  return { entries, baseOf: () => toPointer([kind.key]) };
}

function identityOf(kind: AnyManifestKind, entry: ManifestEntry): string | undefined {
  const v = entry[kind.identity];
  return typeof v === "string" ? v : undefined;
}

/** A `ManifestView` over the raw lists: names of declared entries, and lookup by name (first wins). */
export function manifestView(kinds: readonly AnyManifestKind[], lists: Lists): ManifestView {
  const byKey = new Map<ManifestKey, Map<string, ManifestEntry>>();
  for (const kind of kinds) {
    const map = new Map<string, ManifestEntry>();
    const entries = entriesOf(lists, kind.key);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const id = identityOf(kind, entry);
      if (id !== undefined && !map.has(id)) map.set(id, entry);
    }
    byKey.set(kind.key, map);
  }
  return {
    names: (key) => new Set(byKey.get(key)?.keys() ?? []),
    find: (key, name) => byKey.get(key)?.get(name),
    entries: (key) => entriesOf(lists, key),
    defaultTags: () => {
      const tags = ((lists as { defaults?: { tags?: unknown } }).defaults?.tags ?? {}) as Record<string, string>;
      return typeof tags === "object" && tags !== null ? tags : {};
    },
  };
}

function where(loc: SourceLocation | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : "an earlier entry";
}

/**
 * The form two names compare in once Unicode normalisation is set aside: `é` typed as one code point
 * and as `e` plus a combining accent look the same to people, but are different names to AWS.
 */
export function normalForm(name: string): string {
  return /^[\x00-\x7f]*$/.test(name) ? name : name.normalize("NFC");
}

/**
 * Duplicate names within a kind are errors at the second occurrence, and so are names that differ only
 * in Unicode normalisation (nobody can tell them apart, yet AWS would keep two resources). User names that
 * differ only by case are a warning: the API treats them as different users (reference §2 and §8 document user names as
 * case-sensitive e-mail addresses and no name as case-folded), but people rarely mean that.
 */
export function checkNames(kinds: readonly AnyManifestKind[], lists: Lists, sources: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of kinds) {
    const first = new Map<string, number>();
    const firstNormal = new Map<string, number>();
    const pointerAt = (i: number) => toPointer([kind.key, i, kind.identity]);
    entriesOf(lists, kind.key).forEach((entry, i) => {
      const id = identityOf(kind, entry);
      if (id === undefined) return;
      const earlier = first.get(id);
      if (earlier !== undefined) {
        out.push(diag({
          code: "name.duplicate", severity: "error", pointer: pointerAt(i),
          message: `${kind.kind} \`${id}\` is declared twice (first at ${where(sources.values.get(pointerAt(earlier)))})`,
          hint: "names are unique within a kind; rename one or remove the duplicate",
        }, sources));
        return;
      }
      first.set(id, i);
      const normal = normalForm(id);
      const lookalike = firstNormal.get(normal);
      if (lookalike !== undefined) {
        out.push(normalizationClash(`${kind.kind} \`${id}\``, pointerAt(i), pointerAt(lookalike), sources));
        return;
      }
      firstNormal.set(normal, i);
    });
  }
  return [...out, ...checkUserCase(lists, sources)];
}

function normalizationClash(what: string, pointer: string, earlier: string, sources: SourceMap): Diagnostic {
  return diag({
    code: "name.normalization-collision", severity: "error", pointer,
    message: `${what} differs only in Unicode normalisation from the name at ${where(sources.values.get(earlier))}; they look the same but AWS keeps them apart`,
    hint: "write both with the same characters (NFC, as most editors type them)",
  }, sources);
}

/** Every declared user name with the path to it: `users` entries, then the members of `userGroups`. */
function userNames(lists: Lists): { name: string; path: (string | number)[] }[] {
  const out: { name: string; path: (string | number)[] }[] = [];
  entriesOf(lists, "users").forEach((u, i) => {
    if (typeof u.userName === "string") out.push({ name: u.userName, path: ["users", i, "userName"] });
  });
  entriesOf(lists, "userGroups").forEach((g, i) => {
    const members = Array.isArray(g.userNames) ? g.userNames : [];
    members.forEach((n, j) => {
      if (typeof n === "string") out.push({ name: n, path: ["userGroups", i, "userNames", j] });
    });
  });
  return out;
}

/**
 * User names differing only by case (a warning) or only in normalisation (an error) wherever they are
 * declared; exact duplicates, and lookalikes between two `users` entries, are reported per kind above.
 */
function checkUserCase(lists: Lists, sources: SourceMap): Diagnostic[] {
  const out: Diagnostic[] = [];
  const folded = new Map<string, { name: string; path: (string | number)[] }>();
  for (const u of userNames(lists)) {
    const key = normalForm(u.name).toLowerCase();
    const clash = folded.get(key);
    if (!clash) {
      folded.set(key, u);
    } else if (normalForm(clash.name) === normalForm(u.name)) {
      if (clash.name !== u.name && !(clash.path[0] === "users" && u.path[0] === "users")) {
        out.push(normalizationClash(`user \`${u.name}\``, toPointer(u.path), toPointer(clash.path), sources));
      }
    } else {
      out.push(diag({
        code: "name.case-collision", severity: "warning", pointer: toPointer(u.path),
        message: `user \`${u.name}\` differs only by case from the user at ${where(sources.values.get(toPointer(clash.path)))}; AppStream treats them as two users`,
        hint: "user names are case-sensitive e-mail addresses; sign-in with the other capitalisation fails",
      }, sources));
    }
  }
  return out;
}

/**
 * References from every entry to other kinds. A reference is skipped when the schema already rejected
 * something at or under the referring field (`clean` says whether a pointer is free of schema errors;
 * none means every pointer is).
 */
export function checkRefs(
  kinds: readonly AnyManifestKind[],
  lists: Lists,
  external: Partial<Record<ManifestKey, readonly string[]>>,
  sources: SourceMap,
  clean: ((pointer: string) => boolean) | undefined,
  view: ManifestView = manifestView(kinds, lists),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  // One set per target kind, not per entry: a roster of 10,000 users refers to the same 200 stacks.
  const knownSets = new Map<ManifestKey, ReadonlySet<string>>();
  const knownOf = (target: ManifestKey): ReadonlySet<string> => {
    let set = knownSets.get(target);
    if (!set) knownSets.set(target, (set = new Set([...view.names(target), ...(external[target] ?? [])])));
    return set;
  };
  for (const kind of kinds) {
    const refs = kind.refs as readonly RefDef<ManifestEntry>[];
    if (!refs.length) continue;
    const { entries, baseOf } = entriesAt(lists, kind);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      for (const ref of refs) {
        if (clean && !clean(childPointer(baseOf(i), ...ref.path))) continue;
        const known = knownOf(ref.target);
        const names = ref.names(entry);
        for (let n = 0; n < names.length; n++) {
          const name = names[n]!;
          if (known.has(name)) continue;
          const path = ref.each ? [...ref.path, n] : ref.path;
          const finding: Finding = {
            code: ref.code, severity: "error", pointer: childPointer(baseOf(i), ...path),
            message: `${kind.kind} \`${identityOf(kind, entry) ?? i}\` refers to ${targetNoun(ref.target)} \`${name}\`, which is neither in the manifest nor listed under external.${ref.target}`,
          };
          const guess = nearestName(name, view.names(ref.target));
          finding.hint = guess ? `did you mean \`${guess}\`?` : `declare it under ${ref.target}, or add it to external.${ref.target} if it is managed elsewhere`;
          out.push(diag(finding, sources));
        }
      }
    }
  }
  return out;
}

/** Each kind's cross-field rules, on every entry the schema accepted (`cleanEntry`; none: all were). */
export function checkRules(
  kinds: readonly AnyManifestKind[],
  lists: Lists,
  sources: SourceMap,
  cleanEntry: ((pointer: string) => boolean) | undefined,
  view: ManifestView = manifestView(kinds, lists),
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const kind of kinds) {
    const { entries, baseOf } = entriesAt(lists, kind);
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (cleanEntry && !cleanEntry(baseOf(i))) continue;
      const found = kind.rules(entry, view);
      for (const v of found) {
        const finding: Finding = { code: v.code, severity: v.severity ?? "error", pointer: childPointer(baseOf(i), ...v.path), message: `${kind.kind} \`${identityOf(kind, entry) ?? i}\`: ${v.message}` };
        if (v.hint) finding.hint = v.hint;
        out.push(diag(finding, sources));
      }
    }
  }
  return out;
}

function targetNoun(key: ManifestKey): string {
  // A directory config is referred to by its directory's name, so the message names the directory.
  return key === "directoryConfigs" ? "directory" : keyNoun(key, 1);
}

/** A declared name that differs only by case or one character, for the hint. */
function nearestName(name: string, names: ReadonlySet<string>): string | undefined {
  for (const n of names) if (n.toLowerCase() === name.toLowerCase()) return n;
  for (const n of names) if (Math.abs(n.length - name.length) <= 1 && oneEditApart(n, name)) return n;
  return undefined;
}

function oneEditApart(a: string, b: string): boolean {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}

function diag(f: Finding, sources: SourceMap): Diagnostic {
  const d: Diagnostic = { code: f.code, severity: f.severity, message: f.message, pointer: f.pointer };
  const loc = locate(sources, f.pointer);
  if (loc) d.loc = loc;
  if (f.hint) d.hint = f.hint;
  return d;
}
