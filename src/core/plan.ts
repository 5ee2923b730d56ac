/**
 * The planner: desired graph + live state → an ordered plan of steps (pure: no I/O, no clock).
 * What a change does is decided by the kinds (their field modes and step builders); this file decides
 * which declared resources change, plan-deletes.ts what is removed, plan-steps.ts in which order.
 */
import { createHash } from "node:crypto";
import type { DesiredResource, FieldChange, LiveResource, ManifestDoc, StepDraft } from "../kinds/contract.js";
import { kindNamed } from "../kinds/index.js";
import type { Kind } from "../kinds/kind.js";
import { closest } from "../manifest/suggest.js";
import { canonical } from "./canonical.js";
import { AppError } from "./errors.js";
import { desiredResources } from "./desired.js";
import { compareFields, comparedFields, compareTags, coveredBy, maskValue, withoutIgnored } from "./diff.js";
import { keepInUse, planDeletes } from "./plan-deletes.js";
import { assertNotForeign, noteAdoptions, ownedElsewhere } from "./plan-owner.js";
import { linkSteps } from "./plan-steps.js";
import { producedAfter, selectedKind } from "./selectors.js";
import { assertUnprotected, change, NO_DIFF, NO_OP, NO_STEPS, valuesOf, type Work } from "./plan-work.js";
import { PLAN_FORMAT_VERSION, SENSITIVE, type FieldDiff, type Plan, type PlanRead, type ResourceChange } from "./plan-types.js";
import { withLiveDigest, withWritten } from "./written.js";

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
  /** `--adopt`: declared addresses that another set owns and this manifest takes over. */
  adopt?: readonly string[];
}

/**
 * A stable digest of what was read for a resource, to detect a stale saved plan. A resource in transition
 * is digested in the state it is heading to: a plan that waits for a STARTING fleet is still right once
 * the fleet is RUNNING, but not once it has been stopped.
 */
export function fingerprint(l: LiveResource | undefined): string {
  if (!l) return "absent";
  const settled = l.state === undefined ? undefined : kindNamed(l.kind).settle?.(l);
  const state = settled && "steps" in settled ? settled.diff.after : l.state;
  const body = JSON.stringify(canonical({ spec: l.spec, state, tags: l.tags }));
  return createHash("sha256").update(body).digest("hex").slice(0, 16);
}

function createDiffs(p: Kind, d: DesiredResource): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [field, def] of Object.entries(p.fields)) {
    if (!["api", "state"].includes(def.role) || d.spec[field] === undefined) continue;
    const after = maskValue(def, canonical(d.spec[field], def.schema));
    if (after !== undefined) out.push({ path: field, after, sensitive: def.sensitive !== undefined, why: def.role === "state" ? "state" : "live" });
  }
  for (const [k, v] of Object.entries(d.tags ?? {})) out.push({ path: `tags.${k}`, after: v, sensitive: false, why: "tags" });
  return out;
}

/**
 * Secrets are write-only (the service never returns them, reference §9), so they are never diffed;
 * `--rotate ADDRESS` sends them on purpose, shown as a sensitive change.
 */
function rotation(p: Kind, d: DesiredResource): { diffs: FieldDiff[]; changes: FieldChange[] } {
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
function planDeclared(d: DesiredResource, l: LiveResource | undefined, ctx: { region: string }, rotate: boolean): Work {
  const p = kindNamed(d.kind);
  if (!l) return { change: change(d, ["create"], createDiffs(p, d)), desired: d, createSteps: p.create(d, ctx), deleteSteps: [] };
  // A membership has no field to compare and no tags: being there is all it can be (30,000 of them on a
  // large estate, so none of the comparison's intermediate objects).
  if (!rotate && !p.taggable && !p.settle && !p.project && comparedFields(p.fields).length === 0) {
    return { change: change(d, NO_OP, NO_DIFF), desired: d, live: l, createSteps: NO_STEPS, deleteSteps: NO_STEPS };
  }
  const proj = p.project?.(d.spec, l.spec);
  // `ignoreChanges` fields are left as they are live (an autoscaled capacity is not set back).
  const ignore = d.spec.ignoreChanges as string[] | undefined;
  const compared = withoutIgnored(withWritten(p, d, l, compareFields(p.fields, proj?.desired ?? d.spec, proj?.live ?? l.spec)), ignore);
  // Most resources of a large estate are unchanged: no copies unless something is added.
  const rotated = rotate ? rotation(p, d) : undefined;
  const diffs = rotated ? [...compared.diffs, ...rotated.diffs] : compared.diffs;
  const changes = rotated ? [...compared.changes, ...rotated.changes.filter((r) => !compared.changes.some((c) => c.field === r.field))] : compared.changes;
  // A changed digest is shown as the field's change, and replaces the resource (its create sets the new tag).
  const tags = p.taggable && d.tags ? compareTags(withoutIgnoredTags(withLiveDigest(d.tags, l.tags), l.tags ?? {}, ignore), l.tags ?? {}) : undefined;
  const allDiffs = tags?.diffs.length ? [...diffs, ...tags.diffs] : diffs;
  const replaced = changes.length ? changes.filter((c) => c.mode === "replace") : changes;
  if (replaced.length) {
    assertUnprotected(d.address, d.protect === true);
    const c = change(d, ["delete", "create"], allDiffs);
    c.disruption = "replace";
    c.reason = `${replaced.map((r) => r.path).join(", ")} cannot be changed in place: ${p.replaceNote?.(d) ?? "deleted and created again"}`;
    return { change: c, desired: d, live: l, deleteSteps: p.remove(l, ctx), createSteps: p.create(d, ctx) };
  }
  const settled = p.settle?.(l, d);
  const settle = settled && "steps" in settled ? settled : undefined;
  const notes = settled && "warning" in settled ? [settled.warning] : undefined;
  if (!changes.length && !tags?.diffs.length && !settle) {
    const c = change(d, NO_OP, NO_DIFF);
    if (notes) c.warnings = notes;
    return { change: c, desired: d, live: l, createSteps: NO_STEPS, deleteSteps: NO_STEPS };
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
  }
  const c = change(d, ["update"], settle ? [...allDiffs, settle.diff] : allDiffs);
  c.disruption = up.disruption;
  c.reason = up.reason;
  if (up.warnings?.length || notes) c.warnings = [...(up.warnings ?? []), ...(notes ?? [])];
  return { change: c, desired: d, live: l, createSteps: steps, deleteSteps: [] };
}

/** The kinds' notes on their declared resources, read with the plan's clock. */
function addNotes(works: ReadonlyMap<string, Work>, now: Date): void {
  works.forEach((w) => {
    const notes = w.desired ? kindNamed(w.desired.kind).notes?.(w.desired, w.live, now) : undefined;
    if (notes?.length) w.change.warnings = [...(w.change.warnings ?? []), ...notes];
  });
}

/** A selector's pick among images this plan creates is created after the others it matches (selectors.ts). */
function createSelectedLast(works: Map<string, Work>, m: ManifestDoc): void {
  const kind = selectedKind().kind;
  const created = new Set<string>();
  works.forEach((w) => {
    if (w.change.kind === kind && !w.live && w.createSteps.length) created.add(w.change.name);
  });
  for (const [picked, others] of producedAfter(m, created)) {
    const d = works.get(`${kind}/${picked}`)?.desired;
    if (d) d.dependsOn = [...new Set([...d.dependsOn, ...others.map((o) => `${kind}/${o}`)])];
  }
}

/**
 * Builds the plan. Throws AppError for cycles, protected deletions, unsatisfiable resources, declared
 * resources of another set (`plan.foreign-owner`) and deletes that would change, through a membership,
 * a resource this set does not own (`plan.foreign-association`).
 */
export function buildPlan(input: PlanInput): Plan {
  const { manifest: m, region } = input;
  const adopt = new Set(input.adopt ?? []);
  const { works, undeclared } = planAllDeclared(desiredResources(m), input.live, region, new Set(input.rotate ?? []), (d, l) => ownedElsewhere(d, l, m.metadata.name, adopt));
  planDeletes(works, undeclared, input.live, { manifest: m, prune: input.prune, region });
  keepInUse(works, input.live);
  addNotes(works, new Date(input.createdAt));
  createSelectedLast(works, m);
  const kept = selectTargets(valuesOf(works), input.targets);
  assertNotForeign(kept, m.metadata.name, adopt);
  const warnings = adopt.size ? noteAdoptions(works, m.metadata.name, adopt) : [];
  const steps = linkSteps(kept);
  const changes = kept.map((w) => w.change);
  const fingerprints: Record<string, string> = {};
  for (let i = 0; i < kept.length; i++) {
    const w = kept[i]!;
    if (w.change.actions[0] !== "no-op") fingerprints[w.change.address] = fingerprint(w.live);
  }
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: input.createdAt,
    target: { region, ...(input.endpoint ? { endpoint: input.endpoint } : {}) },
    set: m.metadata.name,
    summary: summarize(changes),
    resourceChanges: changes,
    reads: [...(input.reads ?? []), ...shownReads(kept)],
    steps,
    fingerprints,
    warnings,
  };
}

/**
 * Every declared resource planned against its live counterpart, and the live resources that none is
 * declared as. The plan's map is keyed by the declared addresses first (holding each one's index), so it
 * keeps the manifest's order and is the only map: matching the live resources against it needs no
 * second map of 164,000 addresses at 4× the large estate (which, like all the plan builds, stays in
 * memory until the plan is done, for want of a full collection in between).
 */
function planAllDeclared(
  desired: readonly DesiredResource[], live: readonly LiveResource[], region: string, rotate: ReadonlySet<string>,
  foreign: (d: DesiredResource, l: LiveResource) => boolean,
): { works: Map<string, Work>; undeclared: LiveResource[] } {
  const slots = new Map<string, Work | number>();
  for (let i = 0; i < desired.length; i++) slots.set(desired[i]!.address, i);
  const ctx = { region };
  const plan = (d: DesiredResource, l: LiveResource | undefined): Work =>
    // Another set's resource is not planned at all (not even a replace of it): the plan fails for it below.
    l && foreign(d, l)
      ? { change: change(d, NO_OP, NO_DIFF), desired: d, live: l, createSteps: NO_STEPS, deleteSteps: NO_STEPS }
      : planDeclared(d, l, ctx, rotate.size > 0 && rotate.has(d.address));
  const undeclared: LiveResource[] = [];
  let found = 0;
  for (let i = 0; i < live.length; i++) {
    const l = live[i]!;
    const slot = slots.get(l.address);
    if (slot === undefined) {
      undeclared.push(l);
    } else if (typeof slot === "number") {
      found++;
      slots.set(l.address, plan(desired[slot]!, l));
    } else {
      // A read that listed an address twice: the last one read is the one planned against.
      slots.set(l.address, plan(slot.desired!, l));
    }
  }
  for (let i = 0; found < desired.length && i < desired.length; i++) {
    const d = desired[i]!;
    if (typeof slots.get(d.address) === "number") slots.set(d.address, plan(d, undefined));
  }
  // Every slot now holds its resource's work.
  return { works: slots as Map<string, Work>, undeclared };
}

/** What the service chose for declared resources (a kind's `shown`), as reads. */
function shownReads(works: readonly Work[]): PlanRead[] {
  const out: PlanRead[] = [];
  for (let i = 0; i < works.length; i++) {
    const w = works[i]!;
    const r = w.desired && w.live ? kindNamed(w.change.kind).shown?.(w.live) : undefined;
    if (r) out.push(r);
  }
  return out;
}

function summarize(changes: readonly ResourceChange[]): Plan["summary"] {
  const summary = { add: 0, change: 0, destroy: 0, disruptive: 0 };
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if ((c.actions as readonly string[]).includes("create")) summary.add++;
    if (c.actions[0] === "update") summary.change++;
    if (c.actions[0] === "delete") summary.destroy++;
    if (c.disruption !== "none") summary.disruptive++;
  }
  return summary;
}

/** `--target`: the targeted resources and, transitively, what they depend on. */
function selectTargets(works: Work[], targets: readonly string[] | undefined): Work[] {
  if (!targets?.length) return works;
  const byAddress = new Map(works.map((w) => [w.change.address, w]));
  // A target that names nothing would make an empty plan look like "converged".
  for (const t of targets) {
    if (byAddress.has(t)) continue;
    const near = closest(t, [...byAddress.keys()]);
    throw new AppError(
      "plan.target",
      `--target ${t} matches no resource of the manifest or the Region${near ? `; did you mean ${near}?` : " (addresses are Kind/name, e.g. Fleet/apps)"}`,
      { source: "user" },
    );
  }
  const keep = new Set<string>();
  const visit = (a: string) => {
    if (keep.has(a) || !byAddress.has(a)) return;
    keep.add(a);
    for (const dep of byAddress.get(a)!.desired?.dependsOn ?? []) visit(dep);
  };
  for (const t of targets) visit(t);
  return works.filter((w) => keep.has(w.change.address));
}
