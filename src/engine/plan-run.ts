/**
 * `plan` end to end: read what the manifest needs, resolve selectors, build the plan (pure), confirm the
 * index-read tags of what it changes (tag-read.ts) and build it again if they differed, then count the
 * sessions that disruptive steps would end (each kind's `impact`), only for the resources they stop.
 */
import type { AppStreamApi } from "../aws/api.js";
import type { Clock } from "../aws/retry.js";
import { desiredResources, OWNER_TAG } from "../core/desired.js";
import { DERIVED, parentsOf } from "../core/parents.js";
import { buildPlan } from "../core/plan.js";
import type { Plan } from "../core/plan-types.js";
import { prunedImages, resolveSelectors } from "../core/selectors.js";
import type { ReadContext } from "../kinds/contract.js";
import { DERIVED_KINDS, kindNamed, LISTED_KINDS } from "../kinds/index.js";
import { isDerived } from "../kinds/kind.js";
import { fieldHolders, kindsToRead } from "../kinds/reads.js";
import type { KindName, ManifestDoc } from "../model/resource.js";
import { systemClock } from "../aws/retry.js";
import { mapLimit } from "./pool.js";
import type { Replanned } from "./converge.js";
import { readLive, retryingApi, type LiveState } from "./read.js";
import { confirmTags, type Note } from "./tag-read.js";

export interface PlanRunOptions {
  api: AppStreamApi;
  region: string;
  endpoint?: string;
  manifest: ManifestDoc;
  prune: boolean;
  targets?: readonly string[];
  /** `--rotate`: addresses whose secrets are sent again. */
  rotate?: readonly string[];
  /** `--adopt`: declared addresses owned by another set that this manifest takes over. */
  adopt?: readonly string[];
  concurrency: number;
  clock?: Clock;
  signal?: AbortSignal;
  now: Date;
  /** Where notes go (stderr). */
  note?: Note;
}

/**
 * What a `--target` run must read: the targets and, transitively, what they depend on (by address);
 * memberships and shares are read per parent (associations per stack), so those parents' kinds too.
 */
function targeted(targets: readonly string[] | undefined, m: ManifestDoc): { kinds: Set<KindName>; addresses: Set<string> } | undefined {
  if (!targets?.length) return undefined;
  const desired = new Map(desiredResources(m).map((d) => [d.address, d]));
  const kinds = new Set<KindName>();
  const addresses = new Set<string>();
  const visit = (address: string) => {
    if (addresses.has(address)) return;
    addresses.add(address);
    kinds.add(address.split("/")[0] as KindName);
    for (const dep of desired.get(address)?.dependsOn ?? []) visit(dep);
  };
  targets.forEach(visit);
  for (const k of DERIVED_KINDS) if (kinds.has(k.kind)) kinds.add(k.readPer);
  return { kinds, addresses };
}

/**
 * Of a targeted run's kinds, those read only by the names it needs: kinds of the targets and their
 * dependencies, unless the plan needs all of them for another reason — a kind that holds others in use
 * (every holder keeps a replaced image), or a parent that memberships of another owner (or memberships
 * named themselves) are read per.
 */
function byName(t: ReturnType<typeof targeted>, kinds: ReadonlySet<KindName>): Map<KindName, string[]> | undefined {
  if (!t) return undefined;
  const names = new Map<KindName, string[]>();
  for (const address of t.addresses) {
    const kind = address.split("/")[0] as KindName;
    const k = kindNamed(kind);
    if (isDerived(k) || (k.holdsKind && kinds.has(k.holdsKind))) continue;
    // Memberships read per this kind for another owner, or named themselves, may hang off any of them.
    if (DERIVED_KINDS.some((d) => d.readPer === kind && kinds.has(d.kind) && (d.ownerKind !== kind || t.kinds.has(d.kind)))) continue;
    names.set(kind, [...(names.get(kind) ?? []), address.slice(address.indexOf("/") + 1)]);
  }
  return names;
}

/** Whether an entry uses a selector (resolved against the whole catalog). */
function hasSelectors(m: ManifestDoc): boolean {
  return LISTED_KINDS.some((k) => {
    const selectors = Object.entries(k.fields).filter(([, f]) => f.role === "selector").map(([field]) => field);
    return selectors.length > 0 && (m[k.key] ?? []).some((e) => selectors.some((f) => e[f] !== undefined));
  });
}

/**
 * The live state of just these addresses (a saved plan's touched resources, to prove it is not stale):
 * each read by name where its kind can be, with what it depends on, and the tags of those whose tags
 * came from the index confirmed by a direct read, as `runPlan` confirms what it changes.
 */
export async function readTouched(o: Omit<PlanRunOptions, "targets" | "now">, addresses: readonly string[]): Promise<LiveState> {
  const target = targeted(addresses, o.manifest);
  if (!target) return { resources: [], catalog: [], indexedTags: new Set() };
  const desired = desiredResources(o.manifest);
  const kinds = kindsToRead(target.kinds, { prune: false, exclusivePool: o.manifest.metadata.userPool === "exclusive", catalog: false });
  const declared = new Set(desired.flatMap((d) => [d.address, ...(DERIVED.has(d.kind) ? parentsOf(d) : [])]));
  const live = await readLive({
    api: o.api, region: o.region, concurrency: o.concurrency, declared, allTags: o.prune, set: o.manifest.metadata.name, catalog: false,
    kinds, names: byName(target, kinds)!,
    ...(o.clock ? { clock: o.clock } : {}), ...(o.signal ? { signal: o.signal } : {}), ...(o.note ? { note: o.note } : {}),
  });
  await confirmTags(readContext(o), live.resources, addresses, live.indexedTags);
  return live;
}

export async function runPlan(o: PlanRunOptions): Promise<{ plan: Plan; live: LiveState }> {
  const desired = desiredResources(o.manifest);
  const catalog = hasSelectors(o.manifest);
  const target = targeted(o.targets, o.manifest);
  // A targeted plan deletes nothing outside its targets.
  const prune = o.prune && !o.targets?.length;
  const holders = fieldHolders(o.manifest);
  const kinds = kindsToRead(target?.kinds ?? new Set(desired.map((d) => d.kind)), {
    prune, exclusivePool: o.manifest.metadata.userPool === "exclusive", catalog, holders,
  });
  // Memberships of a declared user or share of a declared image may hang off a stack or image that is
  // managed elsewhere; those parents must be read too, or an existing association would plan as a create.
  const declared = new Set(desired.flatMap((d) => [d.address, ...(DERIVED.has(d.kind) ? parentsOf(d) : [])]));
  const live = await readLive({
    api: o.api, region: o.region, concurrency: o.concurrency, declared,
    allTags: o.prune, set: o.manifest.metadata.name, catalog, kinds, ...(target ? { names: byName(target, kinds)! } : {}),
    ...(prune ? {} : { holders }),
    ...(o.clock ? { clock: o.clock } : {}), ...(o.signal ? { signal: o.signal } : {}),
    ...(o.note ? { note: o.note } : {}),
  });
  // Tags from the tagging index may lag: ownership refusals rest only on tags read directly.
  const set = o.manifest.metadata.name;
  const foreign = live.resources.filter((r) => declared.has(r.address) && r.tags?.[OWNER_TAG] !== undefined && r.tags[OWNER_TAG] !== set);
  await confirmTags(readContext(o), live.resources, foreign.map((r) => r.address), live.indexedTags);
  const { manifest, reads } = resolveSelectors(o.manifest, live.catalog, prunedImages(live.resources, o.manifest, o.prune));
  const build = () => buildPlan({
    manifest, live: live.resources, region: o.region, ...(o.endpoint ? { endpoint: o.endpoint } : {}),
    prune: o.prune, ...(o.targets ? { targets: o.targets } : {}), ...(o.rotate ? { rotate: o.rotate } : {}), ...(o.adopt ? { adopt: o.adopt } : {}), reads,
    createdAt: o.now.toISOString(),
  });
  let plan = build();
  // So do the tag changes, updates and deletes (prune) the plan makes: each is confirmed by a direct read.
  const changing = plan.resourceChanges.filter((c) => c.actions[0] !== "no-op").map((c) => c.address);
  if (await confirmTags(readContext(o), live.resources, changing, live.indexedTags)) plan = build();
  if (await readAroundDeletes(o, plan, live)) plan = build();
  await countSessions(o, plan, live);
  await preflightCreates(o, plan, manifest);
  return { plan, live };
}

/**
 * One declared resource planned again against what is live now, for a create that found it already
 * there (converge.ts): its change and its own steps (what it depends on was handled by the first plan).
 * Throws what planning throws — `plan.foreign-owner` when another set owns what is there.
 */
export async function replanResource(o: Omit<PlanRunOptions, "targets" | "prune">, address: string): Promise<Replanned> {
  const { plan } = await runPlan({ ...o, prune: false, targets: [address] });
  return {
    change: plan.resourceChanges.find((c) => c.address === address),
    steps: plan.steps.filter((s) => s.address === address),
  };
}

/**
 * A resource the plan deletes or replaces may have associations the per-owner reads did not see (a stack
 * outside the manifest on a fleet of ours); DeleteFleet fails while one exists (reference §3.5), so
 * they are read now and the plan is built again with them. Returns whether any were found.
 */
async function readAroundDeletes(o: PlanRunOptions, plan: Plan, live: LiveState): Promise<boolean> {
  const going = plan.resourceChanges.filter((c) => c.actions[0] === "delete").map((c) => c.address);
  const byAddress = new Map(live.resources.map((r) => [r.address, r]));
  const ctx = readContext(o);
  let found = false;
  for (const kind of DERIVED_KINDS) {
    if (!kind.readOf) continue;
    for (const address of going) {
      const parent = byAddress.get(address);
      if (!parent) continue;
      for (const r of await kind.readOf(ctx, parent)) {
        if (byAddress.has(r.address)) continue;
        byAddress.set(r.address, r);
        live.resources.push(r);
        found = true;
      }
    }
  }
  return found;
}

function readContext(o: Pick<PlanRunOptions, "api" | "clock" | "signal" | "region" | "concurrency">): ReadContext {
  const api = retryingApi(o.api, o.clock ?? systemClock, o.signal);
  return { api, region: o.region, map: (items, fn) => mapLimit(items, o.concurrency, (i) => fn(i)) };
}

/** Runs the kinds' plan-time dry runs for resources the plan creates (reads and warnings in the plan). */
async function preflightCreates(o: PlanRunOptions, plan: Plan, manifest: ManifestDoc): Promise<void> {
  const desired = new Map(desiredResources(manifest).map((d) => [d.address, d]));
  const ctx = readContext(o);
  for (const c of plan.resourceChanges) {
    const check = kindNamed(c.kind).preflight;
    const d = desired.get(c.address);
    if (!check || !d || !(c.actions as readonly string[]).includes("create")) continue;
    const { read, warning } = await check(d, ctx);
    if (read) plan.reads.push(read);
    if (warning) c.warnings = [...(c.warnings ?? []), warning];
  }
}

/** Fills `activeSessions` (the kind's `impact`) for changes that stop or delete what is live. */
async function countSessions(o: PlanRunOptions, plan: Plan, live: LiveState): Promise<void> {
  const ctx = readContext(o);
  const byAddress = new Map(live.resources.map((r) => [r.address, r]));
  for (const c of plan.resourceChanges) {
    const impact = kindNamed(c.kind).impact;
    const l = byAddress.get(c.address);
    const stops = c.disruption !== "none" || c.actions[0] === "delete";
    if (!impact || !l || !stops) continue;
    const n = await impact(ctx, l, live.resources);
    if (n !== undefined) c.activeSessions = n;
  }
}
