/**
 * YAML text → plain values with a position for every JSON pointer. We walk the `yaml` document tree
 * ourselves (instead of `toJS()`) so that each value, and each mapping key, keeps the offset it was
 * written at; diagnostics are then reported where the user can fix them.
 */
import type { Alias, Document, LineCounter, Node } from "yaml";
import { yamlLib } from "./yaml-lib.js";
import type { Diagnostic, SourceLocation } from "../core/errors.js";
import { MAX_ALIAS_VALUES, MAX_DEPTH, tooDeepAt } from "./limits.js";
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
  const counter = new (yamlLib().LineCounter)();
  const at = locator(file, counter);
  const diagnostics: Diagnostic[] = [];
  const fragments: Fragment[] = [];
  // Checked before the yaml library composes the document, which recurses once per level.
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    counter.addNewLine(0);
    for (let i = text.indexOf("\n"); i >= 0 && i < deep; i = text.indexOf("\n", i + 1)) counter.addNewLine(i + 1);
    diagnostics.push(tooDeep(at(deep)));
    return { file, text, fragments, diagnostics };
  }
  const list = parseDocuments(text, counter);
  if (!list) {
    diagnostics.push(tooDeep(at(0)));
    return { file, text, fragments, diagnostics };
  }
  // Errors found only at the end of input (an unclosed bracket or quote) are shown after the last
  // character written rather than on an empty line past it.
  const end = text.trimEnd().length;
  const budget = { aliasValues: MAX_ALIAS_VALUES };
  for (const doc of list) {
    for (const err of doc.errors) {
      // The yaml library turns a stack overflow while composing into an ordinary error; it is nesting.
      if (/Maximum call stack/.test(err.message)) diagnostics.push(tooDeep(at(Math.min(err.pos[0], end))));
      else diagnostics.push({ code: "manifest.yaml-syntax", severity: "error", message: yamlMessage(err.message), loc: at(Math.min(err.pos[0], end)) });
    }
    for (const warn of doc.warnings) {
      // An unknown tag (`!Ref`, `!!js/function`) would otherwise be read as the plain string after it and
      // sent to AWS: appstreamctl is not CloudFormation, and no tag means anything here.
      if (warn.code === "TAG_RESOLVE_FAILED") {
        diagnostics.push({
          code: "manifest.yaml-tag", severity: "error", message: `${yamlMessage(warn.message)}; manifests take no YAML tags`, loc: at(warn.pos[0]),
          hint: "remove the tag; use ${env:NAME} for values from the environment",
        });
        continue;
      }
      diagnostics.push({ code: "manifest.yaml-syntax", severity: "warning", message: yamlMessage(warn.message), loc: at(warn.pos[0]) });
    }
    if (doc.errors.length > 0 || doc.contents === null) continue;
    const walker = new Walker(file, doc, at, diagnostics, budget);
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

/** The file's documents, or undefined when composing them overflowed the stack. */
function parseDocuments(text: string, counter: LineCounter): Document.Parsed[] | undefined {
  try {
    // uniqueKeys is off because we detect duplicates ourselves, to name the first occurrence too.
    const docs = yamlLib().parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, prettyErrors: false });
    return Array.isArray(docs) ? docs : [docs as unknown as Document.Parsed];
  } catch (err) {
    // The depth scan bounds recursion; this is the net under it, should some input still get through.
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

function tooDeep(loc: SourceLocation): Diagnostic {
  return {
    code: "manifest.too-deep", severity: "error", loc,
    message: `collections nested more than ${MAX_DEPTH} levels deep; a manifest needs far fewer`,
  };
}

/** The yaml library appends "at line X, column Y" in some messages; our position says that already. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+[\s\S]*$/, "").trim();
}

class Walker {
  readonly nodes = new Map<string, NodeInfo>();
  private depth = 0;
  /** Inside an alias's expansion: its values count against the file's alias budget. */
  private inAlias = 0;
  private targets: Map<Alias, Node | undefined> | undefined;

  constructor(
    private readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly at: Locator,
    private readonly diagnostics: Diagnostic[],
    /** Shared by the documents of one file; once spent, every further alias reads as null. */
    private readonly budget: { aliasValues: number },
  ) {}

  walk(node: unknown, pointer: string, keyLoc: SourceLocation | undefined, fallback?: number): JsonValue {
    const range = rangeOf(node) ?? [fallback ?? 0, fallback ?? 0];
    // An empty value (`key:` with nothing after it) is best shown at its key.
    const empty = node == null || (yamlLib().isScalar(node) && node.value === null && range[0] === range[1]);
    const info: NodeInfo = { file: this.file, loc: keyLoc && empty ? keyLoc : this.at(range[0]), range };
    if (keyLoc) info.keyLoc = keyLoc;
    if (this.inAlias > 0 && --this.budget.aliasValues < 0) return null;
    this.nodes.set(pointer, info);
    if (node == null) return null;
    if (yamlLib().isAlias(node)) {
      // An alias stands for its anchor's value; positions inside point at the anchor, which is where the
      // text to fix lives.
      const target = this.resolve(node);
      if (!target) return null;
      if (this.budget.aliasValues <= 0) return null;
      this.inAlias++;
      const value = this.nested(range, () => this.walk(target, pointer, keyLoc, range[0]));
      this.inAlias--;
      if (this.budget.aliasValues < 0 && this.inAlias === 0) {
        this.budget.aliasValues = 0;
        this.diagnostics.push({
          code: "manifest.alias-limit", severity: "error", loc: this.at(range[0]), pointer,
          message: `aliases in this file stand for more than ${MAX_ALIAS_VALUES} values; a manifest's shared blocks need far fewer`,
          hint: "aliases nested in aliases multiply: write the shared block once and alias it directly",
        });
        return null;
      }
      this.nodes.set(pointer, info);
      return value;
    }
    if (yamlLib().isScalar(node)) return scalarValue(node.value);
    if (yamlLib().isSeq(node)) return this.nested(range, () => node.items.map((item, i) => this.walk(item, childPointer(pointer, i), undefined, range[0])));
    if (yamlLib().isMap(node)) return this.nested(range, () => this.walkMap(node.items, pointer));
    return null;
  }

  /**
   * The node an alias stands for: the last anchor of its name written before it. `Alias.resolve` finds it
   * by walking the whole document on every call, which made an alias-heavy file quadratic.
   */
  private resolve(alias: Alias): Node | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, Node | undefined>();
      const anchors = new Map<string, Node>();
      yamlLib().visit(this.doc, {
        Node: (_key, n) => {
          if (yamlLib().isAlias(n)) targets.set(n, anchors.get(n.source));
          else if (yamlLib().isNode(n) && n.anchor) anchors.set(n.anchor, n);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  /**
   * One level deeper. The text scan bounds what is written; this bounds what aliases build (an alias of
   * an alias of ... , or an anchor whose own alias sits inside it).
   */
  private nested(range: readonly [number, number], inner: () => JsonValue): JsonValue {
    if (this.depth >= MAX_DEPTH) {
      if (!this.diagnostics.some((d) => d.code === "manifest.too-deep")) this.diagnostics.push(tooDeep(this.at(range[0])));
      return null;
    }
    this.depth++;
    try {
      return inner();
    } finally {
      this.depth--;
    }
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
  if (yamlLib().isScalar(key)) return String(key.value);
  return String(key);
}

function scalarValue(v: unknown): JsonValue {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return String(v);
}
