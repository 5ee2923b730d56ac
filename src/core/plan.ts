/**
 * The planner: desired graph + live state → an ordered plan of steps (pure: no I/O, no clock).
 * What a change does is decided by the kinds (their field modes and step builders); this file decides
 * which resources change, how changes are ordered, and what is pruned.
 */
import { createHash } from "node:crypto";
import type { DesiredResource, FieldChange, KindPlanner, LiveResource, ManifestDoc, StepDraft } from "../kinds/contract.js";
import { nameFromArn } from "../kinds/convert.js";
import { plannerOf } from "../kinds/index.js";
import { canonical } from "./canonical.js";
import { desiredResources, OWNER_TAG, PROTECT_TAG } from "./desired.js";
import { compareFields, comparedFields, compareTags, coveredBy, maskValue, withoutIgnored } from "./diff.js";
import { AppError } from "./errors.js";
import { DERIVED, parentsOf } from "./parents.js";
import { linkSteps, type Work } from "./plan-steps.js";
import { PLAN_FORMAT_VERSION, SENSITIVE, type FieldDiff, type Plan, type PlanRead, type ResourceChange } from "./plan-types.js";

export interface PlanInput {
  manifest: ManifestDoc;
  live: readonly LiveResource[];
  region: string;
  endpoint?: string;
  prune: boolean;
  /** Addresses to limit the plan to (with what they depend on). */
  targets?: readonly string[];
  reads?: PlanRead[];
  createdAt: string;
  /** Addresses whose write-only fields (the directory password) are sent even though they cannot be compared. */
  rotate?: readonly string[];
}

/** A stable digest of what was read for a resource, to detect a stale saved plan. */
export function fingerprint(l: LiveResource | undefined): string {
  if (!l) return "absent";
  const body = JSON.stringify(canonical({ spec: l.spec, state: l.state, tags: l.tags }));
  return createHash("sha256").update(body).digest("hex").slice(0, 16);
}

function createDiffs(p: KindPlanner, d: DesiredResource): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [field, def] of Object.entries(p.fields)) {
    if (!["api", "state"].includes(def.role) || d.spec[field] === undefined) continue;
    const after = maskValue(def, canonical(d.spec[field], def.schema));
    if (after !== undefined) out.push({ path: field, after, sensitive: def.sensitive !== undefined, why: def.role === "state" ? "state" : "live" });
  }
  for (const [k, v] of Object.entries(d.tags ?? {})) out.push({ path: `tags.${k}`, after: v, sensitive: false, why: "tags" });
  return out;
}

function change(r: { kind: DesiredResource["kind"]; name: string; address: string }, actions: ResourceChange["actions"], diff: FieldDiff[] = []): ResourceChange {
  return { address: r.address, kind: r.kind, name: r.name, actions, disruption: "none", reason: "", diff };
}

function assertUnprotected(address: string, protectedFlag: boolean): void {
  if (protectedFlag) {
    throw new AppError("plan.protected", `${address} is protected (protect: true) and would be deleted; remove the protection first`, { source: "user" });
  }
}

/**
 * Secrets are write-only (the service never returns them, reference §9), so they are never diffed;
 * `--rotate ADDRESS` sends them on purpose, shown as a sensitive change.
 */
function rotation(p: KindPlanner, d: DesiredResource): { diffs: FieldDiff[]; changes: FieldChange[] } {
  const fields = Object.entries(p.fields).filter(([f, def]) => def.mode === "write-only" && def.sensitive && d.spec[f] !== undefined);
  return {
    changes: fields.map(([field, def]) => ({ field, path: field, mode: "write-only" as const, clear: false, role: def.role })),
    diffs: fields.flatMap(([field, def]) =>
      (def.sensitive === true ? [""] : def.sensitive!).map((sub) => ({
        path: sub ? `${field}.${sub}` : field, before: SENSITIVE, after: SENSITIVE, sensitive: true, why: "write-only" as const,
      })),
    ),
  };
}

/** Desired tags with ignored keys taken as they are live, so neither an add nor a removal is planned. */
function withoutIgnoredTags(desired: Record<string, string>, live: Record<string, string>, ignore: readonly string[] | undefined): Record<string, string> {
  if (!ignore?.length) return desired;
  const keys = new Set([...Object.keys(desired), ...Object.keys(live)]);
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = coveredBy(ignore, `tags.${k}`) ? live[k] : desired[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Plans one declared resource against what is live. */
function planDeclared(d: DesiredResource, l: LiveResource | undefined, region: string, rotate: boolean): Work {
  const p = plannerOf(d.kind);
  const ctx = { region };
  if (!l) return { change: change(d, ["create"], createDiffs(p, d)), desired: d, createSteps: p.create(d, ctx), deleteSteps: [] };
  // A membership has no field to compare and no tags: being there is all it can be (30,000 of them on a
  // large estate, so none of the comparison's intermediate objects).
  if (!rotate && !p.taggable && !p.settle && !p.project && comparedFields(p.fields).length === 0) {
    return { change: change(d, ["no-op"]), desired: d, live: l, createSteps: [], deleteSteps: [] };
  }
  const proj = p.project?.(d.spec, l.spec) ?? { desired: d.spec, live: l.spec };
  // `ignoreChanges` fields are left as they are live (an autoscaled capacity is not set back).
  const ignore = d.spec.ignoreChanges as string[] | undefined;
  const compared = withoutIgnored(compareFields(p.fields, proj.desired, proj.live), ignore);
  // Most resources of a large estate are unchanged memberships: no copies unless something is added.
  const rotated = rotate ? rotation(p, d) : undefined;
  const diffs = rotated ? [...compared.diffs, ...rotated.diffs] : compared.diffs;
  const changes = rotated ? [...compared.changes, ...rotated.changes.filter((r) => !compared.changes.some((c) => c.field === r.field))] : compared.changes;
  const tags = p.taggable && d.tags ? compareTags(withoutIgnoredTags(d.tags, l.tags ?? {}, ignore), l.tags ?? {}) : undefined;
  const allDiffs = tags?.diffs.length ? [...diffs, ...tags.diffs] : diffs;
  const replaced = changes.filter((c) => c.mode === "replace");
  if (replaced.length) {
    assertUnprotected(d.address, d.protect === true);
    const c = change(d, ["delete", "create"], allDiffs);
    c.disruption = "replace";
    c.reason = `${replaced.map((r) => r.path).join(", ")} cannot be changed in place: ${p.replaceNote?.(d) ?? "deleted and created again"}`;
    return { change: c, desired: d, live: l, deleteSteps: p.remove(l, ctx), createSteps: p.create(d, ctx) };
  }
  const settled = p.settle?.(l);
  const settle = settled && "steps" in settled ? settled : undefined;
  const notes = settled && "warning" in settled ? [settled.warning] : [];
  if (!changes.length && !tags?.diffs.length && !settle) {
    const c = change(d, ["no-op"]);
    if (notes.length) c.warnings = notes;
    return { change: c, desired: d, live: l, createSteps: [], deleteSteps: [] };
  }
  const up = changes.length ? p.update(d, l, changes, ctx) : { steps: [], disruption: "none" as const, reason: "" };
  const steps: StepDraft[] = [...up.steps];
  if (tags?.diffs.length) {
    steps.push({ id: "tags", op: "tags.update", params: { ResourceArn: l.arn, address: d.address, add: tags.add, remove: tags.remove } });
  }
  if (settle) {
    // Everything else of this resource, and everything depending on it, waits until it has settled.
    const last = settle.steps[settle.steps.length - 1]!.id;
    for (const s of steps) if (!s.after?.length) s.after = [last];
    steps.unshift(...settle.steps);
    allDiffs.push(settle.diff);
  }
  const c = change(d, ["update"], allDiffs);
  c.disruption = up.disruption;
  c.reason = up.reason;
  if (up.warnings?.length || notes.length) c.warnings = [...(up.warnings ?? []), ...notes];
  return { change: c, desired: d, live: l, createSteps: steps, deleteSteps: [] };
}

/** Whether a live resource absent from the manifest may be deleted (DESIGN.md §3 ownership rules). */
function prunable(l: LiveResource, m: ManifestDoc, prune: boolean, declared: ReadonlySet<string>): boolean {
  switch (l.kind) {
    case "UserAssociation":
      // A declared user's stacks are exact; with an exclusive pool the manifest also speaks for every
      // membership of the stacks it declares (nobody else manages users there).
      if (m.metadata.userPool === "exclusive" && declared.has(parentsOf(l)[1]!)) return true;
      return declared.has(parentsOf(l)[0]!);
    case "FleetAssociation":
    case "ImagePermission":
      // The associations a declared owner declares (see parents.ts) are reconciled exactly, with or
      // without --prune.
      return declared.has(parentsOf(l)[0]!);
    case "User":
      return prune && m.metadata.userPool === "exclusive";
    case "DirectoryConfig":
      // Not taggable, so ownership cannot be proven: never pruned.
      return false;
    default:
      return prune && l.tags?.[OWNER_TAG] === m.metadata.name;
  }
}

/** Builds the plan. Throws AppError for cycles, protected deletions and unsatisfiable resources. */
export function buildPlan(input: PlanInput): Plan {
  const { manifest: m, region } = input;
  const desired = desiredResources(m);
  const live = new Map(input.live.map((l) => [l.address, l]));
  const declared = new Set(desired.map((d) => d.address));
  const works = new Map<string, Work>();
  const rotate = new Set(input.rotate ?? []);
  for (const d of desired) works.set(d.address, planDeclared(d, live.get(d.address), region, rotate.has(d.address)));

  // Resources whose parent is replaced or deleted go first and, if still declared, come back after.
  const going = (a: string) => works.get(a)?.deleteSteps.length ?? 0;
  const toDelete = (l: LiveResource, why: string) => {
    const p = plannerOf(l.kind);
    if (l.tags?.[PROTECT_TAG] === "true") assertUnprotected(l.address, true);
    const c = change(l, ["delete"]);
    c.reason = why;
    const warn = p.removeWarning?.(l);
    if (warn) c.warnings = [warn];
    works.set(l.address, { change: c, live: l, deleteSteps: p.remove(l, { region }), createSteps: [] });
  };
  for (const l of input.live) {
    if (declared.has(l.address)) continue;
    if (prunable(l, m, input.prune, declared)) toDelete(l, declared.has(parentsOf(l)[0] ?? "") ? "no longer declared" : "not in the manifest (--prune)");
  }
  // A plan that deletes or replaces nothing moves no membership: skip looking at each of them.
  const anyGoing = [...works.values()].some((w) => w.deleteSteps.length > 0);
  for (const l of anyGoing ? input.live : []) {
    // Only memberships and shares follow their parent; listed kinds are ordered around a delete instead.
    if (!DERIVED.has(l.kind)) continue;
    const w = works.get(l.address);
    const parentGoing = parentsOf(l).find((a) => going(a) > 0);
    if (!parentGoing || (w && w.deleteSteps.length)) continue;
    const parentReplaced = (works.get(parentGoing)?.createSteps.length ?? 0) > 0;
    // Around a replaced parent the association comes back: the declared one, or — not being ours to
    // remove (a stack outside the manifest on a replaced fleet) — the one that was live.
    const again = w?.desired ?? (parentReplaced ? { ...l, pointer: "", dependsOn: parentsOf(l).filter((a) => works.has(a)) } : undefined);
    if (again) {
      const c = change(l, ["delete", "create"]);
      c.reason = `re-created because ${parentGoing} is replaced`;
      works.set(l.address, { change: c, desired: again, live: l, deleteSteps: plannerOf(l.kind).remove(l, { region }), createSteps: plannerOf(l.kind).create(again, { region }) });
    } else {
      toDelete(l, `removed before ${parentGoing} is deleted`);
    }
  }

  keepImagesInUse(works, input.live);
  const kept = selectTargets([...works.values()], input.targets);
  const steps = linkSteps(kept);
  const changes = kept.map((w) => w.change);
  const count = (pred: (c: ResourceChange) => boolean) => changes.filter(pred).length;
  const fingerprints: Record<string, string> = {};
  for (const w of kept) if (w.change.actions[0] !== "no-op") fingerprints[w.change.address] = fingerprint(w.live);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: input.createdAt,
    target: { region, ...(input.endpoint ? { endpoint: input.endpoint } : {}) },
    set: m.metadata.name,
    summary: {
      add: count((c) => (c.actions as readonly string[]).includes("create")),
      change: count((c) => c.actions[0] === "update"),
      destroy: count((c) => c.actions[0] === "delete"),
      disruptive: count((c) => c.disruption !== "none"),
    },
    resourceChanges: changes,
    reads: input.reads ?? [],
    steps,
    fingerprints,
    warnings: [],
  };
}

/** The image a fleet or builder spec streams from, by name (ARNs end in `image/NAME`). */
function imageOf(spec: Record<string, unknown> | undefined): string | undefined {
  if (!spec) return undefined;
  return (spec.imageName as string | undefined) ?? nameFromArn(spec.imageArn as string | undefined);
}

/**
 * An image is never deleted while a fleet or image builder uses it (reference §7.4: DeleteImage fails
 * with ResourceInUse): the delete is dropped and the plan names the users. A user that the plan deletes
 * or moves to another image does not count; one it replaces on the same image does.
 */
function keepImagesInUse(works: Map<string, Work>, live: readonly LiveResource[]): void {
  for (const w of works.values()) {
    if (w.change.kind !== "Image" || w.change.actions.join() !== "delete") continue;
    const users = live
      .filter((l) => (l.kind === "Fleet" || l.kind === "ImageBuilder") && imageOf(l.spec) === w.change.name)
      .filter((l) => {
        const other = works.get(l.address);
        // Outside the manifest: it keeps using the image. Deleted for good: it stops. Declared (also when
        // replaced): it uses whatever the manifest says.
        if (!other?.desired) return !other?.deleteSteps.length;
        return imageOf(other.desired.spec) === w.change.name;
      })
      .map((l) => l.address);
    if (!users.length) continue;
    const c = change(w.change, ["no-op"]);
    c.warnings = [`not deleted: still used by ${users.join(", ")}`];
    works.set(w.change.address, { ...w, change: c, deleteSteps: [] });
    // Its shares stay too: they were going only because the image was.
    for (const [address, share] of works) {
      if (share.change.kind === "ImagePermission" && share.live?.spec.image === w.change.name && !share.desired) works.delete(address);
    }
  }
}

/** `--target`: the targeted resources and, transitively, what they depend on. */
function selectTargets(works: Work[], targets: readonly string[] | undefined): Work[] {
  if (!targets?.length) return works;
  const byAddress = new Map(works.map((w) => [w.change.address, w]));
  const keep = new Set<string>();
  const visit = (a: string) => {
    if (keep.has(a) || !byAddress.has(a)) return;
    keep.add(a);
    for (const dep of byAddress.get(a)!.desired?.dependsOn ?? []) visit(dep);
  };
  for (const t of targets) visit(t);
  return works.filter((w) => keep.has(w.change.address));
}
