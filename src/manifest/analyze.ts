/**
 * The pure half of loading: file texts in, `LoadedManifest` out. Parse each file, merge, interpolate,
 * then validate in layers — schema, names, references, rules, secrets — collecting every problem.
 */
import { hasErrors, type Diagnostic, type SourceLocation } from "../core/errors.js";
import type { AnyManifestKind, ManifestKey } from "../kinds/contract.js";
import type { JsonSchema } from "../kinds/schema-dsl.js";
import { interpolate, type Interpolated } from "./env.js";
import { mergeFragments } from "./merge.js";
import { parseYamlFile, type Fragment, type NodeLookup } from "./parse.js";
import { isWithin, locate } from "./pointer.js";
import { quickParse } from "./quick-parse.js";
import { checkSchema } from "./schema-check.js";
import { isSecret, literalSecrets, maskedTexts, sensitivePointers } from "./secrets.js";
import { checkNames, checkRefs, checkRules, manifestView } from "./semantic.js";
import { RESOURCE_KEYS, type JsonObject, type LoadedManifest, type Manifest, type SourceMap } from "./types.js";

/** One file's text as read from disk, named as diagnostics show it. */
export interface SourceText {
  file: string;
  text: string;
}

/** What validation checks against: the manifest schema and the kinds whose refs and rules apply. */
export interface Checks {
  schema: JsonSchema;
  kinds: readonly AnyManifestKind[];
}

/**
 * Analyzes manifest texts (in merge order). `earlier` carries problems found before parsing (missing
 * files), which are kept first. Never throws for bad input.
 */
export function analyzeManifest(
  texts: readonly SourceText[],
  env: Readonly<Record<string, string | undefined>>,
  checks: Checks,
  earlier: readonly Diagnostic[] = [],
): LoadedManifest {
  const diagnostics: Diagnostic[] = [...earlier];
  const textByFile = new Map(texts.map((t) => [t.file, t.text]));
  const structure = quickStructure(texts) ?? positionalStructure(texts);
  diagnostics.push(...structure.diagnostics);
  const interpolated = interpolate(structure.value, env, structure.nodes, textByFile);
  diagnostics.push(...interpolated.diagnostics);
  const root = interpolated.value as JsonObject;
  const sources = sourceMapOf(structure.nodes);
  const sensitive = sensitivePointers(checks.kinds, root);
  const unsetSecrets = deferUnsetSecrets(diagnostics, interpolated, sensitive);
  // With nothing readable and errors already reported, "apiVersion is missing" would only be noise.
  if (!structure.nothingRead || !hasErrors(diagnostics)) {
    const unresolved = new Set([...interpolated.unresolved].filter((p) => !unsetSecrets.has(p)));
    diagnostics.push(...validate(root, sources, sensitive, unresolved, new Set([...interpolated.fromEnv, ...unsetSecrets.keys()]), checks));
  }
  let displayText: ReadonlyMap<string, string> | undefined;
  return {
    manifest: typed(root),
    sources,
    diagnostics: sortDiagnostics(diagnostics, texts.map((t) => t.file)),
    sensitive,
    fromEnv: interpolated.fromEnv,
    unsetSecrets,
    files: texts.map((t) => t.file),
    // Masking needs the secrets' positions; only a diagnostic's source line ever asks for the text.
    get displayText() {
      displayText ??= maskedTexts(textByFile, sensitive, structure.nodes, structure.value);
      return displayText;
    },
  };
}

/**
 * A secret whose `${env:…}` variable is unset is not an error for reading: the service never returns
 * it, so validate, plan, drift and export never need it. Its diagnostic becomes a note, and `apply`
 * refuses, before sending anything, only when a step must send it (a create, or `--rotate`).
 */
function deferUnsetSecrets(diagnostics: Diagnostic[], interpolated: Interpolated, sensitive: ReadonlySet<string>): Map<string, string[]> {
  const deferred = new Map<string, string[]>();
  for (const [pointer, names] of interpolated.missing) if (sensitive.has(pointer)) deferred.set(pointer, names);
  if (deferred.size === 0) return deferred;
  for (const [i, d] of diagnostics.entries()) {
    if (d.code !== "manifest.env-missing" || d.pointer === undefined || !deferred.has(d.pointer)) continue;
    diagnostics[i] = {
      ...d,
      code: "manifest.env-secret-unset",
      severity: "note",
      message: `${d.message}: it feeds a write-only secret, which only apply needs (to create the resource, or with --rotate)`,
      hint: `set ${deferred.get(d.pointer)!.join(", ")} from your secret store in the environment of apply`,
    };
  }
  return deferred;
}

/** The merged, not yet interpolated manifest, where each value was written, and the problems so far. */
interface Structure {
  value: JsonObject;
  nodes: NodeLookup;
  diagnostics: Diagnostic[];
  /** No file held a document. */
  nothingRead: boolean;
}

/**
 * Every file parsed with positions (parse.ts) and merged. Always right, and what any problem found while
 * reading or merging is reported from.
 */
function positionalStructure(texts: readonly SourceText[]): Structure {
  const parsed = texts.map((t) => parseYamlFile(t.file, t.text));
  const merged = mergeFragments(parsed.flatMap((p) => p.fragments));
  // With only empty files there is no root node; problems about the whole manifest then point at the
  // start of the first file rather than nowhere.
  const firstFile = texts[0]?.file;
  if (!merged.nodes.has("") && firstFile !== undefined) {
    merged.nodes.set("", { file: firstFile, loc: { file: firstFile, line: 1, col: 1 }, range: [0, 0] });
  }
  return {
    value: merged.value,
    nodes: merged.nodes,
    diagnostics: [...parsed.flatMap((p) => p.diagnostics), ...merged.diagnostics],
    nothingRead: parsed.every((p) => p.fragments.length === 0),
  };
}

/**
 * The fast path for clean files (quick-parse.ts): values only, with positions computed by the positional
 * path on first use — which a manifest without problems never makes. Undefined when a file needs the
 * positional parser or the files do not merge cleanly, so that every such problem is reported exactly as
 * that path reports it.
 */
function quickStructure(texts: readonly SourceText[]): Structure | undefined {
  const fragments: Fragment[] = [];
  for (const t of texts) {
    const docs = quickParse(t.text);
    if (!docs) return undefined;
    for (const value of docs) fragments.push({ file: t.file, value, nodes: new Map() });
  }
  const merged = mergeFragments(fragments);
  if (merged.diagnostics.length > 0) return undefined;
  let nodes: NodeLookup | undefined;
  return {
    value: merged.value,
    nodes: { get: (pointer) => (nodes ??= positionalStructure(texts).nodes).get(pointer) },
    diagnostics: [],
    nothingRead: fragments.length === 0,
  };
}

function validate(
  root: JsonObject,
  sources: SourceMap,
  sensitive: ReadonlySet<string>,
  unresolved: ReadonlySet<string>,
  fromEnv: ReadonlySet<string>,
  checks: Checks,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const issues = checkSchema(root, checks.schema, unresolved, (p) => isSecret(sensitive, p));
  for (const issue of issues) {
    const d: Diagnostic = { code: issue.code, severity: "error", message: issue.message, pointer: issue.pointer };
    const loc = locate(sources, issue.pointer, issue.at);
    if (loc) d.loc = loc;
    if (issue.hint) d.hint = issue.hint;
    out.push(d);
  }
  // Rules trust the declared types, so they skip any entry with a schema or interpolation problem.
  // A reference is checked unless its own value failed, or something above it is of the wrong type (a
  // missing sibling such as `name` does not make `fleet` unreadable).
  const failed = [...issues.map((i) => ({ pointer: i.pointer, code: i.code as string })), ...[...unresolved].map((pointer) => ({ pointer, code: "manifest.env-missing" }))];
  const entryOf = (p: string): string => p.split("/").slice(0, 3).join("/");
  const failedEntries = new Set(failed.map((f) => entryOf(f.pointer)));
  // A valid manifest (the usual case, with thousands of entries) has nothing to look up.
  const cleanEntry = failed.length === 0 ? undefined : (p: string): boolean => !failedEntries.has(entryOf(p));
  const clean = failed.length === 0 ? undefined : (p: string): boolean => !failed.some((f) => isWithin(f.pointer, p) || (f.code === "schema.type" && isWithin(p, f.pointer)));
  out.push(...checkNames(checks.kinds, root, sources));
  // One view of the manifest (names and entries by kind) for both the reference and the rule checks.
  const view = manifestView(checks.kinds, root);
  out.push(...checkRefs(checks.kinds, root, externalNames(root.external), sources, clean, view));
  out.push(...checkRules(checks.kinds, root, sources, cleanEntry, view));
  out.push(...literalSecrets(root, sensitive, fromEnv, unresolved, sources));
  return out;
}

/** The string lists under `external`, ignoring anything mistyped (the schema reports that). */
function externalNames(external: unknown): Partial<Record<ManifestKey, string[]>> {
  const out: Partial<Record<ManifestKey, string[]>> = {};
  if (external === null || typeof external !== "object" || Array.isArray(external)) return out;
  for (const [key, names] of Object.entries(external)) {
    if (Array.isArray(names)) out[key as ManifestKey] = names.filter((n): n is string => typeof n === "string");
  }
  return out;
}

/** The positions of every node, as the public `SourceMap`: a view, so nothing is computed until asked. */
export function sourceMapOf(nodes: NodeLookup): SourceMap {
  return {
    values: { get: (pointer) => nodes.get(pointer)?.loc },
    keys: { get: (pointer) => nodes.get(pointer)?.keyLoc },
  };
}

/** The merged value with every resource list present, so consumers can iterate without checks. */
function typed(root: JsonObject): Manifest {
  const m = { ...root } as Record<string, unknown>;
  for (const key of RESOURCE_KEYS) if (!Array.isArray(m[key])) m[key] = [];
  if (m.metadata === null || typeof m.metadata !== "object") m.metadata = { name: "" };
  if (typeof m.apiVersion !== "string") m.apiVersion = "";
  return m as unknown as Manifest;
}

/** File order first (as given on the command line), then line and column; unplaced problems lead. */
export function sortDiagnostics(diags: readonly Diagnostic[], files: readonly string[]): Diagnostic[] {
  const order = (d: Diagnostic): number => (d.loc ? files.indexOf(d.loc.file) : -1);
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => order(a.d) - order(b.d) || (a.d.loc?.line ?? 0) - (b.d.loc?.line ?? 0) || (a.d.loc?.col ?? 0) - (b.d.loc?.col ?? 0) || a.i - b.i)
    .map(({ d }) => d);
}
