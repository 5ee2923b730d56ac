/**
 * Merging several manifest files into one. Lists (resources, `external` names) concatenate in file
 * order, mappings merge key by key, and a scalar given in several files must be the same everywhere:
 * `apiVersion` and `metadata` must agree where given, so a roster file may hold only `users:`. Top-level
 * `x-` blocks (anchors for entries to share) are left out.
 */
import type { Diagnostic } from "../core/errors.js";
import { EXTENSION_PREFIX } from "../kinds/index.js";
import type { Fragment, NodeInfo } from "./parse.js";
import { childPointer, escapeSegment, segmentsOf } from "./pointer.js";
import { setKey, type JsonObject, type JsonValue } from "./types.js";

/** The merged document and the position of every pointer in it. */
export interface Merged {
  value: JsonObject;
  nodes: Map<string, NodeInfo>;
  diagnostics: Diagnostic[];
}

/**
 * Merges fragments in order. The fragments are consumed: their values become parts of the result (and
 * the first file's mappings receive the later files' keys), which spares copying a large roster.
 */
export function mergeFragments(fragments: readonly Fragment[]): Merged {
  const value: JsonObject = {};
  const nodes = new Map<string, NodeInfo>();
  const diagnostics: Diagnostic[] = [];
  const first = fragments[0];
  const rootInfo = first?.nodes.get("");
  if (rootInfo) nodes.set("", rootInfo);
  for (const fragment of fragments) {
    const incoming = fragment.value as JsonObject;
    for (const key of Object.keys(incoming)) {
      // Extension blocks only carry anchors, already resolved by the parser; each file's are its own.
      if (key.startsWith(EXTENSION_PREFIX)) continue;
      const pointer = childPointer("", key);
      const merged = mergeValue(value[key], incoming[key]!, pointer, pointer, fragment, nodes, diagnostics);
      setKey(value, key, merged);
    }
  }
  return { value, nodes, diagnostics };
}

function mergeValue(
  existing: JsonValue | undefined,
  incoming: JsonValue,
  at: string,
  from: string,
  fragment: Fragment,
  nodes: Map<string, NodeInfo>,
  diagnostics: Diagnostic[],
): JsonValue {
  if (existing === undefined || existing === null) {
    copyNodes(fragment.nodes, from, at, nodes, 0);
    return incoming;
  }
  // An empty `key:` in a later file adds nothing.
  if (incoming === null) return existing;
  if (Array.isArray(existing) && Array.isArray(incoming)) {
    copyNodes(fragment.nodes, from, at, nodes, existing.length, true);
    return [...existing, ...incoming];
  }
  if (isObject(existing) && isObject(incoming)) {
    for (const key of Object.keys(incoming)) {
      const merged = mergeValue(existing[key], incoming[key]!, childPointer(at, key), childPointer(from, key), fragment, nodes, diagnostics);
      setKey(existing, key, merged);
    }
    return existing;
  }
  if (JSON.stringify(existing) !== JSON.stringify(incoming)) {
    const there = nodes.get(at)?.loc;
    const where = there ? ` in ${there.file}:${there.line}:${there.col}` : " in an earlier file";
    const field = segmentsOf(at).join(".");
    const info = fragment.nodes.get(from);
    diagnostics.push({
      code: at === "/apiVersion" ? "manifest.api-version" : "manifest.metadata-conflict",
      severity: "error",
      message: `\`${field}\` is ${describe(incoming)} here but ${describe(existing)}${where}; files must agree`,
      ...(info ? { loc: info.loc } : {}),
      pointer: at,
      hint: "give it in one file only, or the same value everywhere",
    });
  }
  return existing;
}

/**
 * Copies the positions of everything below `from` in a fragment to `to` in the merged map. When
 * `shiftItems`, the first segment below `from` is a list index moved by `offset` (list concatenation).
 */
function copyNodes(
  source: ReadonlyMap<string, NodeInfo>,
  from: string,
  to: string,
  target: Map<string, NodeInfo>,
  offset: number,
  shiftItems = false,
): void {
  for (const [pointer, info] of source) {
    if (pointer === from) {
      if (!shiftItems) target.set(to, info);
      continue;
    }
    if (!pointer.startsWith(from + "/")) continue;
    let rest = pointer.slice(from.length);
    if (shiftItems) {
      const slash = rest.indexOf("/", 1);
      const index = Number(rest.slice(1, slash === -1 ? undefined : slash));
      rest = "/" + escapeSegment(index + offset) + (slash === -1 ? "" : rest.slice(slash));
    }
    target.set(to + rest, info);
  }
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function describe(v: JsonValue): string {
  if (Array.isArray(v)) return "a list";
  if (isObject(v)) return "a mapping";
  return `\`${String(v)}\``;
}
