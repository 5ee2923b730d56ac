/** Small builders for the per-kind tests: desired and live resources, a manifest view, a field's mode. */
import { manifestView } from "../../src/manifest/semantic.js";
import { MANIFEST_KINDS } from "../../src/kinds/index.js";
import type { FieldChange, ManifestView } from "../../src/kinds/contract.js";
import type { Kind } from "../../src/kinds/kind.js";
import type { DesiredResource, KindName, LiveResource, ManifestKey } from "../../src/model/resource.js";

export const REGION = { region: "us-east-1" };

/** The manifest as the kinds' rules see it. */
export function view(lists: Partial<Record<ManifestKey, unknown[]>> = {}): ManifestView {
  return manifestView(MANIFEST_KINDS, lists);
}

export function desired(kind: KindName, name: string, spec: Record<string, unknown>, tags?: Record<string, string>): DesiredResource {
  return { kind, name, address: `${kind}/${name}`, spec, pointer: "", dependsOn: [], ...(tags ? { tags } : {}) };
}

export function live(kind: KindName, name: string, spec: Record<string, unknown>, state?: string): LiveResource {
  return { kind, name, address: `${kind}/${name}`, spec, ...(state ? { state } : {}) };
}

/** A field's update mode for an entry (fixed, or depending on the entry). */
export function modeOf(kind: Kind, field: string, spec: Record<string, unknown> = {}): string {
  const mode = kind.fields[field]!.mode;
  return typeof mode === "function" ? mode(spec) : mode;
}

/** A change of one api field, as the planner computes it. */
export function change(kind: Kind, field: string, spec: Record<string, unknown> = {}, clear = false): FieldChange {
  return { field, path: field, mode: modeOf(kind, field, spec) as FieldChange["mode"], clear, role: kind.fields[field]!.role };
}

/** Steps as `op` + params + after, the values the executor will run. */
export function shape(steps: readonly { id: string; op: string; params: Record<string, unknown>; after?: string[] }[]): unknown[] {
  return steps.map((s) => ({ id: s.id, op: s.op, params: s.params, after: s.after ?? [] }));
}
