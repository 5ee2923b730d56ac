/**
 * Fields the service takes but never returns (an image's source, a builder's software lists) are
 * remembered at create in one tag, `appstreamctl:written`, as a short digest per field — never the value,
 * which may be long or private. A later plan compares the digests, so an edit of such a field is seen
 * (and applied by the field's mode) instead of silently ignored. A resource without the tag (adopted, or
 * created before the tag existed) cannot tell, and is left without it.
 */
import { createHash } from "node:crypto";
import type { DesiredResource, FieldDef, LiveResource } from "../kinds/contract.js";
import type { Kind } from "../kinds/kind.js";
import type { JsonSchema } from "../kinds/schema-dsl.js";
import { canonical } from "./canonical.js";
import type { FieldComparison } from "./diff.js";

export const WRITTEN_TAG = "appstreamctl:written";

const remembered = new WeakMap<object, readonly [string, FieldDef<any>][]>();

/** A kind's fields that are never read back, listed once per kind rather than once per resource. */
function rememberedOf(fields: Readonly<Record<string, FieldDef<any>>>): readonly [string, FieldDef<any>][] {
  let list = remembered.get(fields);
  if (!list) remembered.set(fields, (list = Object.entries(fields).filter(([, def]) => def.remembered === true)));
  return list;
}

function digest(def: FieldDef<any>, value: unknown): string {
  const body = JSON.stringify(canonical(value, def.schema as JsonSchema) ?? null);
  return createHash("sha256").update(body).digest("hex").slice(0, 12);
}

/** The tag value for a spec (`field=digest` pairs), or undefined for kinds that remember nothing. */
export function writtenTag(fields: Readonly<Record<string, FieldDef<any>>>, spec: Record<string, unknown>): string | undefined {
  const list = rememberedOf(fields);
  if (!list.length) return undefined;
  return list.map(([f, def]) => `${f}=${digest(def, spec[f])}`).join(" ");
}

function parse(tag: string): Map<string, string> {
  return new Map(tag.split(" ").filter(Boolean).map((pair) => pair.split("=", 2) as [string, string]));
}

/** Changes of remembered fields between the manifest and the digests a live resource carries. */
export function compareWritten(p: Kind, spec: Record<string, unknown>, liveTags: Readonly<Record<string, string>> | undefined): FieldComparison {
  const out: FieldComparison = { diffs: [], changes: [] };
  const tag = liveTags?.[WRITTEN_TAG];
  if (tag === undefined) return out;
  const live = parse(tag);
  for (const [field, def] of rememberedOf(p.fields)) {
    const had = live.get(field);
    if (had === undefined || had === digest(def, spec[field])) continue;
    // Left out, it is not managed: an exported or adopted resource cannot say what it was given.
    if (spec[field] === undefined) continue;
    const mode = typeof def.mode === "function" ? def.mode(spec) : def.mode;
    const value = canonical(spec[field], def.schema as JsonSchema);
    out.changes.push({ field, path: field, mode, clear: value === undefined, role: def.role });
    // Only the new value can be shown: the old one was never read back, only its digest kept.
    out.diffs.push({ path: field, before: `(written earlier: ${had})`, ...(value !== undefined ? { after: value } : {}), sensitive: false, why: mode });
  }
  return out;
}

/**
 * Desired tags with the digest tag as it is live: a changed digest is a field change, not a tag change,
 * and a resource without one (adopted) is not given one — its digest would be of a value it never had.
 */
export function withLiveDigest(desired: Record<string, string>, live: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (desired[WRITTEN_TAG] === undefined) return desired;
  const had = live?.[WRITTEN_TAG];
  if (had !== undefined) return { ...desired, [WRITTEN_TAG]: had };
  const { [WRITTEN_TAG]: _drop, ...rest } = desired;
  return rest;
}

/** A comparison with the changes of fields that are never read back (seen through their digest tag). */
export function withWritten(p: Kind, d: DesiredResource, l: LiveResource, cmp: FieldComparison): FieldComparison {
  if (!p.taggable) return cmp;
  const w = compareWritten(p, d.spec, l.tags);
  return w.changes.length ? { diffs: [...cmp.diffs, ...w.diffs], changes: [...cmp.changes, ...w.changes] } : cmp;
}
