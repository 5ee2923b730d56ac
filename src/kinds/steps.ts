/**
 * Small builders shared by the kinds' step functions. Waits are steps too: `{ op: "wait", params:
 * { kind, name, until } }`, so the executor can batch every waiting resource of a kind into one
 * read per tick (engine/pollers.ts).
 */
import type { WaitKind } from "../model/kind.js";
import type { FieldChange, StepDraft } from "../model/resource.js";
import { fromApiShape, toApiShape } from "./convert.js";

export type { WaitKind } from "../model/kind.js";

/**
 * The state of a resource that is merely listed (users and associations have no state): creates of
 * these wait until the service lists them, so that a plan straight after an apply sees them (eventual
 * consistency, reference §8.1 "TF waits up to 4 minutes", §5 read-after-create).
 */
export const LISTED = "LISTED";

/** A wait step: poll until the resource reaches `until` (a service state, or GONE). */
export function waitStep(id: string, kind: WaitKind, name: string, until: string, after: string[]): StepDraft {
  return { id, op: "wait", params: { kind, name, until }, after };
}

/** Tag changes go through TagResource/UntagResource (never echoed by Describe; reference §10). */
export function tagStep(id: string, arn: string | undefined, address: string, add: Record<string, string>, remove: string[], after: string[] = []): StepDraft {
  return { id, op: "tags.update", params: { ...(arn ? { ResourceArn: arn } : {}), address, add, remove }, after };
}

/** The manifest fields a kind sends in its Create/Update calls (the `api` role). */
export function apiFieldNames(table: Readonly<Record<string, { role: string }>>): string[] {
  return Object.entries(table).filter(([, d]) => d.role === "api").map(([f]) => f);
}

/** Copies the listed manifest fields into an API request, PascalCase, skipping absent ones. */
export function apiFields(spec: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const f of fields) if (spec[f] !== undefined) picked[f] = spec[f];
  return toApiShape(picked);
}

/** The manifest-shaped copy of the listed API members of a described resource. */
export function specFromApi(obj: object, members: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const m of members) {
    const v = (obj as Record<string, unknown>)[m];
    if (v !== undefined && v !== null) picked[m] = v;
  }
  return fromApiShape(picked);
}

/** Chains drafts so each runs after the previous one (the first keeps its own `after`). */
export function chain(steps: StepDraft[]): StepDraft[] {
  return steps.map((s, i) => (i === 0 ? s : { ...s, after: [...new Set([...(s.after ?? []), steps[i - 1]!.id])] }));
}

/** The AttributesToDelete values for cleared fields (and cleared sub-fields such as security groups). */
export function attributesToDelete(changes: readonly FieldChange[], desired: Record<string, unknown>, live: Record<string, unknown>, table: Readonly<Record<string, { clear?: string | Readonly<Record<string, string>> }>>): string[] {
  const out: string[] = [];
  for (const c of changes) {
    const clear = table[c.field]?.clear;
    if (clear === undefined) continue;
    if (typeof clear === "string") {
      if (c.clear) out.push(clear);
      continue;
    }
    if (c.clear) {
      if (clear[""]) out.push(clear[""]);
      continue;
    }
    const want = (desired[c.field] ?? {}) as Record<string, unknown>;
    const have = (live[c.field] ?? {}) as Record<string, unknown>;
    for (const [sub, attr] of Object.entries(clear)) {
      if (sub !== "" && want[sub] === undefined && have[sub] !== undefined) out.push(attr);
    }
  }
  return out;
}


/**
 * The desired spec of the changed fields as the service is to hold them: AWS defaults filled in for
 * fields the manifest leaves out, so that removing e.g. `streamView: DESKTOP` sends `APP` back (the field
 * has no AttributesToDelete value), and each field in its canonical form (defaulted sub-fields spelled out).
 */
export function withDefaults(
  spec: Record<string, unknown>,
  changes: readonly FieldChange[],
  table: Readonly<Record<string, { awsDefault?: unknown; canonical?: (v: unknown) => unknown }>>,
): Record<string, unknown> {
  const out = { ...spec };
  for (const c of changes) {
    if (c.clear) continue;
    const def = table[c.field];
    const v = out[c.field] ?? def?.awsDefault;
    out[c.field] = v !== undefined && def?.canonical ? def.canonical(v) : v;
  }
  return out;
}
