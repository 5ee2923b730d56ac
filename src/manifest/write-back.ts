/**
 * `drift --write`: accept what changed outside appstreamctl by copying the live values of drifted
 * fields into the manifest files. Edits go through the yaml Document API on the file's own document,
 * so comments, key order, flow/block style and quoting of everything untouched stay as written.
 *
 * What is never written: secrets (write-only, never read back anyway), values that came from
 * `${env:…}` (the file holds the reference, not the value), the `appstreamctl:` tags (appstreamctl's
 * own bookkeeping), tags inherited from `defaults.tags` (changing them would change every resource),
 * and an image a selector picks. Missing and unmanaged resources are reported, never written, except a
 * singleton whose key speaks for it (`usageReports`): its object or `none` is a value of the manifest.
 */
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Document, YAMLMap } from "yaml";
import { yamlLib } from "./yaml-lib.js";
import type { DriftItem, DriftReport } from "../core/drift.js";
import { kindByKey, LISTED_KINDS, singletonKind } from "../kinds/index.js";
import { segmentsOf } from "./pointer.js";
import type { LoadedManifest } from "./types.js";

/** One field copied back (or not, with the reason). */
export interface WriteBackEntry {
  address: string;
  path: string;
  file?: string;
  reason?: string;
}

export interface WriteBackResult {
  written: WriteBackEntry[];
  skipped: WriteBackEntry[];
  /** New text per file (display path) for the files that changed. */
  texts: Map<string, string>;
}

/** Splits a drift path into document path segments; a tag key may itself contain dots. */
function fieldSegments(path: string): string[] {
  return path.startsWith("tags.") ? ["tags", path.slice("tags.".length)] : path.split(".");
}

type Docs = Document.Parsed[];

/** The mapping of the entry named `name` in a file's documents, under `key` (`fleets`, …; a singleton's key holds it). */
function findEntry(docs: Docs, key: string, identity: string, name: string, singleton: boolean): { doc: Document.Parsed; node: YAMLMap } | undefined {
  for (const doc of docs) {
    const list = yamlLib().isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
    if (singleton && yamlLib().isMap(list)) return { doc, node: list };
    if (!yamlLib().isSeq(list)) continue;
    for (const item of list.items) {
      if (yamlLib().isMap(item) && String(item.get(identity)) === name) return { doc, node: item };
    }
  }
  return undefined;
}

/** Why a field must not be written, or undefined when it may. */
function refusal(item: DriftItem, path: string, sensitive: boolean, loaded: LoadedManifest, entry: YAMLMap): string | undefined {
  if (sensitive) return "secret: never written";
  const segs = fieldSegments(path);
  const pointer = `${item.pointer}/${segs.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
  if ([...loaded.fromEnv].some((p) => p === pointer || pointer.startsWith(`${p}/`))) return "the manifest takes this value from ${env:…}";
  if (segs[0] === "tags") {
    const key = segs[1] ?? "";
    if (key.startsWith("appstreamctl:")) return "appstreamctl's own tag: never written";
    const own = entry.getIn(["tags", key]) !== undefined;
    if (!own && loaded.manifest.defaults?.tags?.[key] !== undefined) return "inherited from defaults.tags: edit it there";
  }
  if ((segs[0] === "imageName" || segs[0] === "imageArn") && entry.has("imageSelector")) return "the image is picked by imageSelector";
  return undefined;
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The text edit that replaces an existing plain or quoted scalar by another scalar, keeping its quoting. */
function scalarSplice(node: unknown, value: unknown): Splice | undefined {
  if (!yamlLib().isScalar(node) || !node.range || !["string", "number", "boolean"].includes(typeof value)) return undefined;
  const [start, end] = node.range;
  switch (node.type) {
    case yamlLib().Scalar.QUOTE_DOUBLE:
      return { start, end, text: JSON.stringify(String(value)) };
    case yamlLib().Scalar.QUOTE_SINGLE:
      return { start, end, text: `'${String(value).replace(/'/g, "''")}'` };
    case yamlLib().Scalar.PLAIN: {
      const text = yamlLib().stringify(value).trimEnd();
      if (text.includes("\n")) return undefined;
      // Plain text that would end a flow collection or start a comment is written double-quoted.
      return { start, end, text: typeof value === "string" && /[,[\]{}#]|: /.test(text) ? JSON.stringify(value) : text };
    }
    default:
      return undefined;
  }
}

/** A new collection node in the style of the one it replaces (flow stays flow), with its comments. */
function replacement(doc: Document.Parsed, prev: unknown, value: unknown): unknown {
  const flow = yamlLib().isCollection(prev) && prev.flow === true;
  const node = doc.createNode(value, { flow });
  if (yamlLib().isCollection(prev)) {
    if (prev.comment) node.comment = prev.comment;
    if (prev.commentBefore) node.commentBefore = prev.commentBefore;
  }
  return node;
}

/**
 * The flow collection to re-render for a change at `segs` of `entry`, when one holds it: the replaced
 * value itself when it was flow (a list or map written on one line), else the innermost flow collection
 * on the way down (a key added inside `tags: { team: euc }`, or inside an entry written as a flow map).
 * Only that collection's text is replaced, so the rest of the file stays as written, byte for byte.
 */
function flowHolder(entry: YAMLMap, segs: readonly string[], replaced: boolean): { path: string[]; start: number; end: number } | undefined {
  const depth = replaced ? segs.length : segs.length - 1;
  for (let k = depth; k >= 0; k--) {
    const path = segs.slice(0, k);
    const node = k === 0 ? entry : entry.getIn(path, true);
    if (yamlLib().isCollection(node) && node.flow === true && node.range) return { path, start: node.range[0], end: node.range[1] };
  }
  return undefined;
}

/** The text of one flow collection of `doc` as the yaml library writes it on one line. */
function flowText(doc: Document.Parsed, node: unknown, padded: boolean): string {
  const one = doc.clone();
  // The comments around the collection lie outside its range and stay in the text as they are.
  const copy = yamlLib().isCollection(node) ? node.clone() : node;
  if (yamlLib().isCollection(copy)) copy.comment = copy.commentBefore = undefined;
  one.contents = copy as typeof one.contents;
  return one.toString({ lineWidth: 0, flowCollectionPadding: padded }).trimEnd();
}

/** Keeps the outermost of overlapping ranges: re-rendering it also writes the changes inside it. */
function outermost<T extends { start: number; end: number }>(ranges: readonly T[]): T[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: T[] = [];
  for (const r of sorted) if (!out.some((o) => r.start >= o.start && r.end <= o.end)) out.push(r);
  return out;
}

/** Whether the file pads more of its flow collections (`{ a: 1 }`) than not (`{a: 1}`). */
function padding(text: string): boolean {
  return (text.match(/[[{] /g) ?? []).length >= (text.match(/[[{][^\s\]}]/g) ?? []).length;
}

/** The whole-value diff of a singleton present on one side only (see DriftItem), with its key and pointer. */
function presenceOf(item: DriftItem): { key: string; pointer: string; diff: DriftItem["diff"][number] } | undefined {
  const kind = singletonKind(item.kind);
  const diff = kind && item.pointer === `/${kind.key}` ? item.diff.find((d) => d.path === kind.key) : undefined;
  return kind && diff ? { key: kind.key, pointer: `/${kind.key}`, diff } : undefined;
}

function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/**
 * Applies the changed fields of `report` to the texts of the manifest files (display path → text).
 * Pure: returns the new texts; nothing is written.
 */
export function writeBack(report: DriftReport, loaded: LoadedManifest, texts: ReadonlyMap<string, string>): WriteBackResult {
  const written: WriteBackEntry[] = [];
  const skipped: WriteBackEntry[] = [];
  const docs = new Map<string, Docs>();
  const touched = new Set<string>();
  // Scalar-for-scalar edits are spliced into the text, so nothing else in the file moves; a file with
  // any structural edit (a key added or removed, a list replaced) is re-rendered from its Document.
  const splices = new Map<string, Splice[]>();
  const flows = new Map<string, { doc: Document.Parsed; entry: YAMLMap; path: string[]; start: number; end: number }[]>();
  const structural = new Set<string>();
  const edit = (file: string, splice: Splice) => (splices.get(file) ?? splices.set(file, []).get(file)!).push(splice);
  for (const item of [...report.missing, ...report.unmanaged]) {
    const whole = presenceOf(item);
    if (!whole) {
      skipped.push({ address: item.address, path: "", reason: `${item.category}: resources are not added or removed by --write` });
      continue;
    }
    const file = loaded.sources.values.get(whole.pointer)?.file;
    const text = file !== undefined ? texts.get(file) : undefined;
    const env = [...loaded.fromEnv].some((p) => p === whole.pointer || p.startsWith(`${whole.pointer}/`));
    if (file === undefined || text === undefined || env) {
      skipped.push({ address: item.address, path: whole.diff.path, reason: env ? "the manifest takes this value from ${env:…}" : "no position in the manifest" });
      continue;
    }
    if (!docs.has(file)) docs.set(file, yamlLib().parseAllDocuments(text) as Docs);
    const doc = docs.get(file)!.find((one) => yamlLib().isMap(one.contents) && one.contents.has(whole.key));
    if (!doc) {
      skipped.push({ address: item.address, path: whole.diff.path, reason: `entry not found in ${file}` });
      continue;
    }
    const top = doc.contents as YAMLMap;
    const prev = top.get(whole.key, true);
    const value = whole.diff.after;
    // `none` ↔ an object on one line is a splice; a block mapping turned into `none` re-renders the file.
    const oneLine = yamlLib().isScalar(prev) || (yamlLib().isCollection(prev) && (prev as { flow?: boolean }).flow === true);
    const node = typeof value === "object" && value !== null ? doc.createNode(value, { flow: true }) : value;
    const range = (prev as { range?: [number, number, number] } | null)?.range;
    if (oneLine && range) edit(file, { start: range[0], end: range[1], text: yamlLib().isCollection(node) ? flowText(doc, node, padding(text)) : String(value) });
    else structural.add(file);
    top.set(whole.key, node);
    written.push({ address: item.address, path: whole.diff.path, file });
    touched.add(file);
  }
  for (const item of report.changed) {
    const key = segmentsOf(item.pointer ?? "")[0];
    const file = item.pointer ? loaded.sources.values.get(item.pointer)?.file : undefined;
    const text = file !== undefined ? texts.get(file) : undefined;
    if (!key || file === undefined || text === undefined || !LISTED_KINDS.some((k) => k.key === key)) {
      for (const d of item.diff) skipped.push({ address: item.address, path: d.path, reason: "no position in the manifest" });
      continue;
    }
    if (!docs.has(file)) docs.set(file, yamlLib().parseAllDocuments(text) as Docs);
    const kind = kindByKey(key as Parameters<typeof kindByKey>[0]);
    const found = findEntry(docs.get(file)!, key, kind.identity, item.name, "singleton" in kind && kind.singleton !== undefined);
    for (const d of item.diff) {
      const reason = !found ? `entry not found in ${file}` : refusal(item, d.path, d.sensitive, loaded, found.node);
      if (reason || !found) {
        skipped.push({ address: item.address, path: d.path, reason: reason ?? "entry not found" });
        continue;
      }
      const segs = fieldSegments(d.path);
      const prev = found.node.getIn(segs, true);
      const splice = scalarSplice(prev, d.after);
      const holder = splice ? undefined : flowHolder(found.node, segs, typeof d.after === "object" && yamlLib().isCollection(prev));
      if (splice) edit(file, splice);
      else if (holder) (flows.get(file) ?? flows.set(file, []).get(file)!).push({ doc: found.doc, entry: found.node, ...holder });
      else structural.add(file);
      if (d.after === undefined) found.node.deleteIn(segs);
      // A plain value updates the existing scalar node in place, keeping its comment and quoting.
      else found.node.setIn(segs, typeof d.after === "object" ? replacement(found.doc, prev, d.after) : d.after);
      written.push({ address: item.address, path: d.path, file });
      touched.add(file);
    }
  }
  const out = new Map<string, string>();
  for (const file of touched) {
    const text = texts.get(file)!;
    // The yaml library renders every flow collection one way; follow the file's more common style.
    const padded = padding(text);
    if (structural.has(file)) {
      // No line width: a long flow collection stays on its line instead of being spread over several.
      out.set(file, docs.get(file)!.map((doc) => doc.toString({ flowCollectionPadding: padded, lineWidth: 0 })).join(""));
      continue;
    }
    const flowSplices = outermost(flows.get(file) ?? []).map((f) => ({
      start: f.start, end: f.end, text: flowText(f.doc, f.path.length ? f.entry.getIn(f.path, true) : f.entry, /^[[{] /.test(text.slice(f.start, f.start + 2))),
    }));
    const scalars = (splices.get(file) ?? []).filter((sp) => !flowSplices.some((f) => sp.start >= f.start && sp.end <= f.end));
    out.set(file, applySplices(text, [...scalars, ...flowSplices]));
  }
  return { written, skipped, texts: out };
}

/** Reads the manifest files, applies {@link writeBack}, and writes the files that changed. */
export async function writeBackFiles(cwd: string, report: DriftReport, loaded: LoadedManifest): Promise<WriteBackResult> {
  const texts = new Map<string, string>();
  for (const file of loaded.files) texts.set(file, await readFile(resolve(cwd, file), "utf8"));
  const result = writeBack(report, loaded, texts);
  for (const [file, text] of result.texts) await writeFile(resolve(cwd, file), text);
  return result;
}
