/**
 * YAML text → plain values with a position for every JSON pointer. We walk the `yaml` document tree
 * ourselves (instead of `toJS()`) so that each value, and each mapping key, keeps the offset it was
 * written at; diagnostics are then reported where the user can fix them.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { Diagnostic, SourceLocation } from "../core/errors.js";
import { childPointer } from "./pointer.js";
import { setKey, type JsonObject, type JsonValue } from "./types.js";

/** Where one node of the merged manifest was written. Offsets index the file's text. */
export interface NodeInfo {
  file: string;
  /** Position of the value (for a missing value, the position of its key). */
  loc: SourceLocation;
  /** Position of the mapping key that introduced the value. */
  keyLoc?: SourceLocation;
  /** Offsets `[start, end)` of the value's source text. */
  range: readonly [number, number];
}

/** Positions by JSON pointer: a Map, or a view that computes them only when first asked for. */
export type NodeLookup = Pick<ReadonlyMap<string, NodeInfo>, "get">;

/** One YAML document of a file: its value and the positions of everything in it. */
export interface Fragment {
  file: string;
  value: JsonValue;
  nodes: Map<string, NodeInfo>;
}

/** A parsed file: its documents (empty ones dropped) and the problems found while reading it. */
export interface ParsedFile {
  file: string;
  text: string;
  fragments: Fragment[];
  diagnostics: Diagnostic[];
}

/** Offset → 1-based position in a file. */
export type Locator = (offset: number) => SourceLocation;

function locator(file: string, counter: LineCounter): Locator {
  return (offset) => {
    const { line, col } = counter.linePos(offset);
    return { file, line, col };
  };
}

/**
 * Parses one file. Documents with YAML syntax errors are not returned (their partial content would only
 * produce misleading follow-on errors); their errors are.
 */
export function parseYamlFile(file: string, text: string): ParsedFile {
  const counter = new LineCounter();
  const at = locator(file, counter);
  // uniqueKeys is off because we detect duplicates ourselves, to name the first occurrence too.
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
  const diagnostics: Diagnostic[] = [];
  const fragments: Fragment[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  // Errors found only at the end of input (an unclosed bracket or quote) are shown after the last
  // character written rather than on an empty line past it.
  const end = text.trimEnd().length;
  for (const doc of list) {
    for (const err of doc.errors) {
      diagnostics.push({ code: "manifest.yaml-syntax", severity: "error", message: yamlMessage(err.message), loc: at(Math.min(err.pos[0], end)) });
    }
    for (const warn of doc.warnings) {
      diagnostics.push({ code: "manifest.yaml-syntax", severity: "warning", message: yamlMessage(warn.message), loc: at(warn.pos[0]) });
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    const walker = new Walker(file, doc, at, diagnostics);
    const value = walker.walk(doc.contents, "", undefined);
    if (value === null) continue; // a document holding only comments or `~`
    if (typeof value !== "object" || Array.isArray(value)) {
      diagnostics.push({
        code: "manifest.not-a-mapping",
        severity: "error",
        message: "a manifest file must be a mapping of top-level keys such as `apiVersion`, `fleets`, `stacks`",
        loc: walker.nodes.get("")?.loc ?? at(0),
        pointer: "",
      });
      continue;
    }
    fragments.push({ file, value, nodes: walker.nodes });
  }
  return { file, text, fragments, diagnostics };
}

/** The yaml library appends "at line X, column Y" in some messages; our position says that already. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, "").trim();
}

class Walker {
  readonly nodes = new Map<string, NodeInfo>();
  private depth = 0;

  constructor(
    private readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly at: Locator,
    private readonly diagnostics: Diagnostic[],
  ) {}

  walk(node: unknown, pointer: string, keyLoc: SourceLocation | undefined, fallback?: number): JsonValue {
    const range = rangeOf(node) ?? [fallback ?? 0, fallback ?? 0];
    // An empty value (`key:` with nothing after it) is best shown at its key.
    const empty = node == null || (isScalar(node) && node.value === null && range[0] === range[1]);
    const info: NodeInfo = { file: this.file, loc: keyLoc && empty ? keyLoc : this.at(range[0]), range };
    if (keyLoc) info.keyLoc = keyLoc;
    this.nodes.set(pointer, info);
    if (node == null) return null;
    if (isAlias(node)) {
      // An alias stands for its anchor's value; positions inside point at the anchor, which is where the
      // text to fix lives. Depth guards against pathological self-referencing anchors.
      const target = node.resolve(this.doc);
      if (!target || this.depth > 64) return null;
      this.depth++;
      const value = this.walk(target, pointer, keyLoc, range[0]);
      this.depth--;
      this.nodes.set(pointer, info);
      return value;
    }
    if (isScalar(node)) return scalarValue(node.value);
    if (isSeq(node)) return node.items.map((item, i) => this.walk(item, childPointer(pointer, i), undefined, range[0]));
    if (isMap(node)) return this.walkMap(node.items, pointer);
    return null;
  }

  private walkMap(pairs: readonly { key: unknown; value: unknown }[], pointer: string): JsonObject {
    const out: JsonObject = {};
    const firstSeen = new Map<string, SourceLocation>();
    for (const pair of pairs) {
      const key = keyText(pair.key);
      const keyRange = rangeOf(pair.key);
      const keyLoc = this.at(keyRange?.[0] ?? 0);
      const first = firstSeen.get(key);
      if (first) {
        this.diagnostics.push({
          code: "manifest.duplicate-key",
          severity: "error",
          message: `duplicate key \`${key}\` (first written at line ${first.line}, column ${first.col}); YAML keeps only one of them`,
          loc: keyLoc,
          pointer: childPointer(pointer, key),
        });
        continue;
      }
      firstSeen.set(key, keyLoc);
      const valueFallback = keyRange?.[1];
      setKey(out, key, this.walk(pair.value, childPointer(pointer, key), keyLoc, valueFallback));
    }
    return out;
  }
}

function rangeOf(node: unknown): [number, number] | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function keyText(key: unknown): string {
  if (key == null) return "";
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function scalarValue(v: unknown): JsonValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return String(v);
}
