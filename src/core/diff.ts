/**
 * Field-by-field comparison of one desired resource with its live counterpart, driven entirely by the
 * kind's field table: which fields are compared, with which update mode, what absence means (clear via
 * AttributesToDelete, an AWS default, or "not managed"), and which values are secrets.
 */
import deepDiff from "deep-diff";
import type { FieldChange, FieldDef, UpdateMode } from "../kinds/contract.js";
import type { JsonSchema } from "../kinds/schema-dsl.js";
import { canonical } from "./canonical.js";
import { SENSITIVE, type FieldDiff, type FieldWhy } from "./plan-types.js";

export interface FieldComparison {
  /** Display lines, one per changed leaf (arrays shown whole). */
  diffs: FieldDiff[];
  /** One entry per changed top-level field, for the kind's step builders. */
  changes: FieldChange[];
}

const COMPARED_ROLES = new Set(["api", "state"]);

function modeOf<S>(def: FieldDef<S>, spec: S): UpdateMode {
  return typeof def.mode === "function" ? def.mode(spec) : def.mode;
}

function whyOf(def: FieldDef<unknown>, mode: UpdateMode, clearing: boolean): FieldWhy {
  if (clearing && def.clear) return "clear";
  if (def.role === "state") return "state";
  return mode;
}

function isSensitive(def: FieldDef<unknown>, subPath: readonly string[]): boolean {
  if (def.sensitive === true) return true;
  if (!def.sensitive) return false;
  return def.sensitive.some((s) => subPath[0] === s || subPath.length === 0);
}

/** Masks secret sub-fields of a value for display. */
export function maskValue(def: FieldDef<unknown>, value: unknown): unknown {
  if (value === undefined || !def.sensitive) return value;
  if (def.sensitive === true) return SENSITIVE;
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of def.sensitive) if (key in out) out[key] = SENSITIVE;
  return out;
}

/** The desired value of a field with absence resolved: `undefined` means "not managed" unless clearable. */
export function effectiveDesired(def: FieldDef<unknown>, value: unknown): unknown {
  if (value !== undefined) return value;
  return def.awsDefault;
}

/** A value in the form the service holds it: absence as the service default, then the kind's canonical form. */
export function heldForm(def: FieldDef<unknown>, value: unknown): unknown {
  const v = value ?? def.awsDefault;
  return v === undefined || v === null || !def.canonical ? v : def.canonical(v);
}

/** The sub-fields of a write-only value that are sent but never read back (shown as sensitive when sent). */
function unreadableParts(def: FieldDef<unknown>): readonly string[] {
  return def.sensitive === true ? [""] : def.sensitive ?? [];
}

const compared = new WeakMap<object, ReadonlyArray<readonly [string, FieldDef<never>]>>();

/** A kind's compared fields, listed once per kind rather than once per resource. */
export function comparedFields<S>(fields: Readonly<Record<string, FieldDef<S>>>): ReadonlyArray<readonly [string, FieldDef<S>]> {
  let list = compared.get(fields);
  if (!list) compared.set(fields, (list = Object.entries(fields).filter(([, def]) => COMPARED_ROLES.has(def.role)) as never));
  return list as ReadonlyArray<readonly [string, FieldDef<S>]>;
}

/** The comparison of a resource that matches, shared and frozen: nothing may add to it. */
const NOTHING: FieldComparison = Object.freeze({ diffs: Object.freeze([]) as unknown as FieldDiff[], changes: Object.freeze([]) as unknown as FieldChange[] });

/**
 * Compares the fields of a kind. `desired` and `live` are manifest-shaped; any projection (image name
 * vs ARN, declared user settings only) has been applied by the kind already. Both sides are taken in
 * the form the service holds them (defaults for absence, the field's canonical form); a write-only field
 * is compared on what the service returns of it, and sent whole when that differs.
 */
export function compareFields<S>(
  fields: Readonly<Record<string, FieldDef<S>>>,
  desired: Record<string, unknown>,
  live: Record<string, unknown>,
): FieldComparison {
  // Most resources of a large estate are unchanged: their comparison allocates nothing of its own.
  let diffs: FieldDiff[] = NOTHING.diffs;
  let changes: FieldChange[] = NOTHING.changes;
  const list = comparedFields(fields);
  for (let i = 0; i < list.length; i++) {
    // Not destructured: before V8 optimizes this, `[field, raw] =` runs the array iterator.
    const field = list[i]![0];
    const raw = list[i]![1];
    const def = raw as FieldDef<unknown>;
    // Never returned, compared by digest instead (written.ts).
    if (def.remembered) continue;
    const mode = modeOf(raw, desired as S);
    let written = desired[field];
    if (mode === "write-only") {
      // Never returned (a user's messageAction): nothing to compare. Returned in part: compare that part.
      if (!def.readBack || written === undefined) continue;
      written = def.readBack(written);
    }
    const want = heldForm(def, written);
    const clearing = want === undefined && (def.clear !== undefined || def.removal === "unset");
    if (want === undefined && !clearing) continue;
    const schema = def.schema as JsonSchema;
    const a = canonical(heldForm(def, live[field]), schema);
    const b = canonical(want, schema);
    if (a === b || JSON.stringify(a) === JSON.stringify(b)) continue;
    if (changes === NOTHING.changes) [diffs, changes] = [[], []];
    changes.push({ field, path: field, mode, clear: clearing, role: def.role });
    // The part read back is compared and updated in place like any field; the rest is only sent along.
    const why = mode === "write-only" ? "live" : whyOf(def, mode, clearing);
    for (const leaf of splitSensitive(def, leafDiffs(a, b))) {
      const path = [field, ...leaf.path];
      const sensitive = isSensitive(def, leaf.path);
      diffs.push({
        path: path.join("."),
        ...(leaf.before !== undefined ? { before: sensitive ? SENSITIVE : leaf.before } : {}),
        ...(leaf.after !== undefined ? { after: sensitive ? SENSITIVE : leaf.after } : {}),
        sensitive,
        why,
      });
    }
    if (mode === "write-only") {
      // The parts that cannot be read back go along with the change: say so, without their values.
      for (const sub of unreadableParts(def)) {
        diffs.push({ path: sub ? `${field}.${sub}` : field, after: SENSITIVE, sensitive: true, why: "write-only" });
      }
    }
  }
  return changes === NOTHING.changes ? NOTHING : { diffs, changes };
}

/** A whole-field line of a field with secret sub-fields, split per sub-field so the others stay readable. */
function splitSensitive(def: FieldDef<unknown>, leaves: Leaf[]): Leaf[] {
  if (!Array.isArray(def.sensitive)) return leaves;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  return leaves.flatMap((leaf) => {
    if (leaf.path.length || !(isObj(leaf.before) || isObj(leaf.after))) return [leaf];
    const before = isObj(leaf.before) ? leaf.before : {};
    const after = isObj(leaf.after) ? leaf.after : {};
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].sort().map((k) => ({ path: [k], before: before[k], after: after[k] }));
  });
}

interface Leaf {
  path: string[];
  before?: unknown;
  after?: unknown;
}

/** Leaf differences between two canonical values; a difference inside an array shows the whole array. */
export function leafDiffs(before: unknown, after: unknown): Leaf[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(before) || !isObj(after)) return [{ path: [], before, after }];
  const found = deepDiff.diff(before, after) ?? [];
  const seen = new Set<string>();
  const out: Leaf[] = [];
  for (const d of found) {
    const raw = (d.path ?? []) as (string | number)[];
    const arrayAt = raw.findIndex((p) => typeof p === "number");
    const path = (arrayAt >= 0 ? raw.slice(0, arrayAt) : raw).map(String);
    const key = path.join(".");
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, before: at(before, path), after: at(after, path) });
  }
  // deep-diff reports an array edit at the index; when the array itself sits at the top, show it whole.
  return out;
}

function at(value: unknown, path: readonly string[]): unknown {
  let cur: unknown = value;
  for (const p of path) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The prefix AWS reserves for its own tags (reference §10). */
export const AWS_TAG_PREFIX = "aws:";

/** Tag differences: desired tags are authoritative for the resources a manifest declares, AWS's own aside. */
export function compareTags(desired: Record<string, string>, live: Record<string, string>): {
  diffs: FieldDiff[];
  add: Record<string, string>;
  remove: string[];
} {
  const add: Record<string, string> = {};
  const remove: string[] = [];
  const diffs: FieldDiff[] = [];
  for (const [k, v] of Object.entries(desired)) {
    if (live[k] !== v) {
      add[k] = v;
      diffs.push({ path: `tags.${k}`, ...(k in live ? { before: live[k] } : {}), after: v, sensitive: false, why: "tags" });
    }
  }
  for (const [k, v] of Object.entries(live)) {
    // `aws:` tags belong to AWS (CloudFormation, Service Catalog): a manifest cannot write or remove them.
    if (!(k in desired) && !k.startsWith(AWS_TAG_PREFIX)) {
      remove.push(k);
      diffs.push({ path: `tags.${k}`, before: v, sensitive: false, why: "tags" });
    }
  }
  return { diffs, add, remove };
}

/** Whether a field path lies at or below one of the given paths. */
export function coveredBy(paths: readonly string[], path: string): boolean {
  return paths.some((p) => path === p || path.startsWith(`${p}.`));
}

/**
 * A field comparison without what the entry's `ignoreChanges` covers: the display lines under an
 * ignored path go, and a field change goes when every line of it went. Drift and plan both apply it, so
 * that apply leaves e.g. an autoscaled capacity alone.
 */
export function withoutIgnored(cmp: FieldComparison, ignoreChanges: readonly string[] | undefined): FieldComparison {
  if (!ignoreChanges?.length) return cmp;
  const diffs = cmp.diffs.filter((d) => !coveredBy(ignoreChanges, d.path));
  const changes = cmp.changes.filter((c) => diffs.some((d) => d.path === c.path || d.path.startsWith(`${c.path}.`)));
  return { diffs, changes };
}
