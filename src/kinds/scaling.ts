/**
 * Scaling (Application Auto Scaling, model reference/botocore-more/application-autoscaling): a fleet's
 * `scaling`, one resource per fleet keyed `Scaling/FLEET`: the scalable target (namespace `appstream`,
 * resource `fleet/NAME`, dimension `appstream:fleet:DesiredCapacity`) with its min/max, its target-tracking
 * policies and its scheduled actions. Policies and actions cannot outlive their target (deregistering it
 * deletes them), so they are fields of the target's resource rather than resources of their own.
 *
 * Every update is an upsert: RegisterScalableTarget changes min/max of the registered target in place,
 * PutScalingPolicy replaces a policy's whole configuration under its name, PutScheduledAction replaces an
 * action's schedule, zone, bounds and start/end (omitted start/end are dropped). Nothing is replaced but
 * by name: a renamed policy or action is a delete of the old one and a put of the new one.
 *
 * Ownership: the manifest speaks for a fleet's scaling only where the fleet says `scaling:` — a target
 * made elsewhere (the console attaches two default step-scaling policies to each fleet it creates) is left
 * alone and reported as unmanaged; `scaling: none` deregisters it; a fleet deleted by --prune loses its
 * target first. Reads are three paginated listings of the whole `appstream` namespace, made only when the
 * manifest declares some `scaling` (or --prune may delete fleets).
 */
import type {
  DeleteScalingPolicyCommandInput, DeleteScheduledActionCommandInput, DeregisterScalableTargetCommandInput, PutScalingPolicyCommandInput,
  PutScheduledActionCommandInput, RegisterScalableTargetCommandInput, ScalingPolicy, ScheduledAction,
} from "@aws-sdk/client-application-auto-scaling";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import type { DesiredResource, FieldTable, LiveResource, ManifestDoc, StepDraft } from "./contract.js";
import { defineDerivedKind, type AssociationFacts, type OpFn } from "./kind.js";
import { deleteOrGone } from "./op-helpers.js";
import { SCALING_PAGES } from "./page-sizes.js";
import { capacityOf, SCALING_NONE, scalingSchema, type PolicyDecl, type ScalingDecl, type ScalingMetric, type ScheduledDecl } from "./scaling-spec.js";
import { nextChangeWords, rangeWords, scalingWords } from "./scaling-words.js";

const NAMESPACE = "appstream";
const DIMENSION = "appstream:fleet:DesiredCapacity" as const;
/** The one predefined metric the model has for AppStream (`MetricType`). */
const PREDEFINED = "AppStreamAverageCapacityUtilization";
/** The other two are the fleet's CloudWatch metrics (namespace AWS/AppStream, dimension Fleet). */
const CLOUDWATCH_NAMESPACE = "AWS/AppStream";
const STATISTIC: Record<Exclude<ScalingMetric, "CapacityUtilization">, "Average" | "Sum"> = { AvailableCapacity: "Average", InsufficientCapacityError: "Sum" };
/**
 * A multi-session fleet publishes its idle capacity in sessions as AvailableUserSessionCapacity (developer
 * guide, "Fleet Usage Metrics for Multi-session Fleets"); InsufficientCapacityError is assumed to keep its
 * name there (documented for single-session fleets only).
 */
const SESSIONS_METRIC = "AvailableUserSessionCapacity";

export const scalingAddress = (fleet: string): string => `Scaling/${fleet}`;
const resourceId = (fleet: string): string => `fleet/${fleet}`;
const target = (fleet: string) => ({ ServiceNamespace: NAMESPACE, ResourceId: resourceId(fleet), ScalableDimension: DIMENSION }) as const;

/** A policy or action as compared: sorted by name, defaults filled, instants in one form. */
const byName = <T extends { name: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const iso = (v: string | undefined) => (v === undefined || Number.isNaN(Date.parse(v)) ? v : new Date(v).toISOString());

function canonicalPolicies(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return byName(v as PolicyDecl[]).map((p) => (p.targetTracking ? { ...p, targetTracking: { disableScaleIn: false, ...p.targetTracking } } : p));
}
function canonicalScheduled(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return byName(v as ScheduledDecl[]).map((a) => {
    const out: Record<string, unknown> = { ...a, timezone: a.timezone ?? "UTC" };
    if (a.start !== undefined) out.start = iso(a.start);
    if (a.end !== undefined) out.end = iso(a.end);
    return out;
  });
}

const OBJ = scalingSchema.oneOf as Record<string, unknown>[];
const members = (OBJ[1]!.properties ?? {}) as Record<string, Record<string, unknown>>;

/** The fields of Scaling/FLEET: each updates in place by its own upserts. */
const fields: FieldTable<ScalingDecl> = {
  min: { role: "api", mode: "live", schema: members.min! },
  max: { role: "api", mode: "live", schema: members.max! },
  policies: { role: "api", mode: "live", awsDefault: [], canonical: canonicalPolicies, schema: members.policies! },
  scheduled: { role: "api", mode: "live", awsDefault: [], canonical: canonicalScheduled, schema: members.scheduled! },
};

// ---------------------------------------------------------------------------------------------------
// Reading: three listings of the namespace, grouped by fleet.

function policyDecl(p: ScalingPolicy): PolicyDecl & { unsupported?: string } {
  const t = p.TargetTrackingScalingPolicyConfiguration;
  const custom = t?.CustomizedMetricSpecification;
  const metric: ScalingMetric | undefined = t?.PredefinedMetricSpecification?.PredefinedMetricType === PREDEFINED
    ? "CapacityUtilization"
    : custom?.Namespace !== CLOUDWATCH_NAMESPACE
      ? undefined
      : custom.MetricName === "AvailableCapacity" || custom.MetricName === SESSIONS_METRIC
        ? "AvailableCapacity"
        : custom.MetricName === "InsufficientCapacityError" ? "InsufficientCapacityError" : undefined;
  const name = p.PolicyName ?? "";
  if (!t || !metric) return { name, unsupported: p.PolicyType ?? "unknown" };
  return {
    name,
    targetTracking: {
      metric, target: t.TargetValue ?? 0, scaleInCooldown: t.ScaleInCooldown ?? 0, scaleOutCooldown: t.ScaleOutCooldown ?? 0,
      disableScaleIn: t.DisableScaleIn ?? false,
    },
  };
}

function scheduledDecl(a: ScheduledAction): ScheduledDecl {
  const s = a.ScalableTargetAction;
  return {
    name: a.ScheduledActionName ?? "", schedule: a.Schedule ?? "", timezone: a.Timezone ?? "UTC",
    ...(s?.MinCapacity !== undefined ? { min: s.MinCapacity } : {}),
    ...(s?.MaxCapacity !== undefined ? { max: s.MaxCapacity } : {}),
    ...(a.StartTime ? { start: a.StartTime.toISOString() } : {}),
    ...(a.EndTime ? { end: a.EndTime.toISOString() } : {}),
  };
}

const fleetOf = (id: string | undefined): string | undefined => (id?.startsWith("fleet/") ? id.slice("fleet/".length) : undefined);

/** Every scaling target of the region's fleets (or those of `fleet`), with their policies and actions. */
async function readScaling(api: AppStreamApi, fleet?: string): Promise<LiveResource[]> {
  const only = fleet ? { ResourceIds: [resourceId(fleet)], ScalableDimension: DIMENSION } : {};
  const byId = fleet ? { ResourceId: resourceId(fleet), ScalableDimension: DIMENSION } : {};
  const [targets, policies, actions] = await Promise.all([
    collect(async (token) => {
      const out = await api.call("autoscaling:DescribeScalableTargets", { ServiceNamespace: NAMESPACE, ...only, MaxResults: SCALING_PAGES.targets, ...(token ? { NextToken: token } : {}) });
      return { items: out.ScalableTargets ?? [], next: out.NextToken };
    }, { label: "DescribeScalableTargets" }),
    collect(async (token) => {
      const out = await api.call("autoscaling:DescribeScalingPolicies", { ServiceNamespace: NAMESPACE, ...byId, MaxResults: SCALING_PAGES.policies, ...(token ? { NextToken: token } : {}) });
      return { items: out.ScalingPolicies ?? [], next: out.NextToken };
    }, { label: "DescribeScalingPolicies" }),
    collect(async (token) => {
      const out = await api.call("autoscaling:DescribeScheduledActions", { ServiceNamespace: NAMESPACE, ...byId, MaxResults: SCALING_PAGES.actions, ...(token ? { NextToken: token } : {}) });
      return { items: out.ScheduledActions ?? [], next: out.NextToken };
    }, { label: "DescribeScheduledActions" }),
  ]);
  const out: LiveResource[] = [];
  for (const t of targets) {
    const name = fleetOf(t.ResourceId);
    if (!name || t.ScalableDimension !== DIMENSION) continue;
    const mine = <X extends { ResourceId?: string; ScalableDimension?: string }>(xs: readonly X[]) => xs.filter((x) => x.ResourceId === t.ResourceId && x.ScalableDimension === DIMENSION);
    const ps = byName(mine(policies).map(policyDecl));
    const unsupported = ps.filter((p) => p.unsupported).map((p) => `${p.name} (${p.unsupported})`);
    out.push({
      kind: "Scaling", name, address: scalingAddress(name),
      spec: { fleet: name, min: t.MinCapacity, max: t.MaxCapacity, policies: ps, scheduled: byName(mine(actions).map(scheduledDecl)) },
      ...(t.ScalableTargetARN ? { arn: t.ScalableTargetARN } : {}),
      ...(unsupported.length ? { facts: { unsupported } } : {}),
      ...(t.CreationTime ? { createdTime: t.CreationTime.getTime() } : {}),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Steps

function policyParams(fleet: string, p: PolicyDecl, sessions: boolean): PutScalingPolicyCommandInput {
  const t = p.targetTracking!;
  const name = t.metric === "AvailableCapacity" && sessions ? SESSIONS_METRIC : t.metric;
  const metric = t.metric === "CapacityUtilization"
    ? { PredefinedMetricSpecification: { PredefinedMetricType: PREDEFINED } as const }
    : { CustomizedMetricSpecification: { MetricName: name, Namespace: CLOUDWATCH_NAMESPACE, Dimensions: [{ Name: "Fleet", Value: fleet }], Statistic: STATISTIC[t.metric] } };
  return {
    PolicyName: p.name, ...target(fleet), PolicyType: "TargetTrackingScaling",
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: t.target, ...metric, ScaleInCooldown: t.scaleInCooldown, ScaleOutCooldown: t.scaleOutCooldown, DisableScaleIn: t.disableScaleIn ?? false,
    },
  };
}

/** PutScheduledAction's input with its instants as ISO strings, so that a saved plan holds them as written. */
type ActionParams = Omit<PutScheduledActionCommandInput, "StartTime" | "EndTime"> & { StartTime?: string; EndTime?: string };

function actionParams(fleet: string, a: ScheduledDecl): ActionParams {
  return {
    ScheduledActionName: a.name, ...target(fleet), Schedule: a.schedule,
    // Sent even when UTC: PutScheduledAction keeps the zone it had when the member is omitted.
    Timezone: a.timezone ?? "UTC",
    ScalableTargetAction: { ...(a.min !== undefined ? { MinCapacity: a.min } : {}), ...(a.max !== undefined ? { MaxCapacity: a.max } : {}) },
    ...(a.start ? { StartTime: a.start } : {}),
    ...(a.end ? { EndTime: a.end } : {}),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Puts of the declared items that differ from the live ones, deletes of the live ones no longer declared. */
function itemSteps<T extends { name: string }>(
  want: readonly T[], have: readonly T[], canon: (v: unknown) => unknown, put: (x: T) => StepDraft, del: (name: string) => StepDraft,
): StepDraft[] {
  const live = new Map((canon(have) as T[]).map((x) => [x.name, x]));
  const out: StepDraft[] = [];
  // In the manifest's order; each item compared in its canonical form.
  for (const x of want) if (!same(live.get(x.name), (canon([x]) as T[])[0])) out.push(put(x));
  const names = new Set(want.map((x) => x.name));
  for (const name of live.keys()) if (!names.has(name)) out.push(del(name));
  return out;
}

function steps(fleet: string, want: ScalingDecl & { unit?: string }, have: Partial<ScalingDecl> | undefined, after: string[]): StepDraft[] {
  const sessions = want.unit === "sessions";
  const register = !have || have.min !== want.min || have.max !== want.max;
  const out: StepDraft[] = register
    ? [{ id: "register", op: "scaling.register", params: { ...target(fleet), MinCapacity: want.min, MaxCapacity: want.max } satisfies RegisterScalableTargetCommandInput, after }]
    : [];
  // Policies and actions need the target registered; among themselves they are independent.
  const next = register ? ["register"] : after;
  let i = 0;
  const id = (what: string) => `${what}-${i++}`;
  const items = [
    // A policy appstreamctl cannot declare (step scaling) is only ever deleted, never put back.
    ...itemSteps((want.policies ?? []).filter((p) => p.targetTracking), have?.policies ?? [], canonicalPolicies,
      (p) => ({ id: id("policy"), op: "scaling.put-policy", params: { ...policyParams(fleet, p, sessions) } }),
      (name) => ({ id: id("delete-policy"), op: "scaling.delete-policy", params: { PolicyName: name, ...target(fleet) } satisfies DeleteScalingPolicyCommandInput })),
    ...itemSteps(want.scheduled ?? [], have?.scheduled ?? [], canonicalScheduled,
      (a) => ({ id: id("action"), op: "scaling.put-action", params: { ...actionParams(fleet, a) } }),
      (name) => ({ id: id("delete-action"), op: "scaling.delete-action", params: { ScheduledActionName: name, ...target(fleet) } satisfies DeleteScheduledActionCommandInput })),
  ];
  return [...out, ...items.map((s) => ({ ...s, after: next }))];
}

// ---------------------------------------------------------------------------------------------------
// Manifest facts

/** The fleet entries of a manifest that declare `scaling` (an object or `none`). */
function scaledFleets(m: ManifestDoc): { entry: Record<string, unknown>; index: number }[] {
  return (m.fleets ?? []).flatMap((entry, index) => (entry.scaling !== undefined ? [{ entry, index }] : []));
}

export const unitOf = (fleet: Record<string, unknown>): string => (fleet.maxSessionsPerInstance !== undefined ? "sessions" : "instances");

/** Why a scaled fleet's capacity is left as it is: the plan ends it with "not changed", drift with "not drift". */
export function initialCapacityNote(fleet: string, unit: string, initial: number, live: number, ending: string): string {
  return `computeCapacity ${initial} is the initial capacity only: Application Auto Scaling keeps Fleet/${fleet} at ${live} ${unit}; ${ending}`;
}

/** The `scaling` of a fleet's live target as the manifest writes it (undefined without a target). */
function declOf(l: LiveResource | undefined): ScalingDecl | undefined {
  if (!l) return undefined;
  const { fleet: _fleet, ...decl } = l.spec as unknown as ScalingDecl & { fleet: string };
  return decl;
}

/** A fleet's `scaling` in drift and export; a fleet that says nothing about it is not compared. */
export const scalingAssociation: AssociationFacts = {
  field: "scaling",
  live(name, live) {
    const decl = declOf(live.find((l) => l.kind === "Scaling" && l.name === name));
    return decl && comparable(decl);
  },
  // As `project`: with scheduled actions declared, the live bounds are the schedule's.
  align(declared, live) {
    const d = declared as ScalingDecl;
    return d.scheduled?.length ? { ...(live as ScalingDecl), min: d.min, max: d.max } : live;
  },
  declared(spec) {
    const s = spec.scaling as ScalingDecl | typeof SCALING_NONE | undefined;
    return s === undefined || s === SCALING_NONE ? undefined : comparable(s);
  },
  // Step-scaling policies cannot be declared: such a target is left out of the export (left alone).
  exported(name, live) {
    const l = live.find((r) => r.kind === "Scaling" && r.name === name);
    const decl = declOf(l);
    if (!decl || l?.facts?.unsupported) return undefined;
    return {
      min: decl.min, max: decl.max,
      ...(decl.policies?.length ? { policies: decl.policies.map((p) => ({ ...p, targetTracking: withoutFalse(p.targetTracking!) })) } : {}),
      ...(decl.scheduled?.length ? { scheduled: decl.scheduled.map((a) => (a.timezone === "UTC" ? (({ timezone: _tz, ...rest }) => rest)(a) : a)) } : {}),
    };
  },
};

/** What drift compares (and `drift --write` writes): the whole declaration in its canonical form. */
function comparable(d: ScalingDecl): Record<string, unknown> {
  return { min: d.min, max: d.max, policies: canonicalPolicies(d.policies ?? []), scheduled: canonicalScheduled(d.scheduled ?? []) };
}

function withoutFalse(t: NonNullable<PolicyDecl["targetTracking"]>) {
  const { disableScaleIn, ...rest } = t;
  return disableScaleIn ? t : rest;
}

export const scaling = defineDerivedKind({
  kind: "Scaling",
  rank: 45,
  noun: "scaling target",
  fields: fields as FieldTable<unknown> as never,
  taggable: false,
  ownership: "owner",
  parents: (l) => [`Fleet/${String(l.spec.fleet)}`],
  readPer: "Fleet",
  ownerKind: "Fleet",
  // Only a fleet that says `scaling: none` gives up a target it does not declare.
  declaredBy: "scaling",
  unmanaged(l) {
    const extra = l.facts?.unsupported ? `, with policies appstreamctl does not manage: ${(l.facts.unsupported as string[]).join(", ")}` : "";
    return `Fleet/${String(l.spec.fleet)} has a scaling target made elsewhere (${String(l.spec.min)}–${String(l.spec.max)}${extra}): ` +
      "left alone, as the fleet declares no `scaling` (`scaling: none` removes it)";
  },
  // Scheduled actions move the target's bounds: with any declared, min/max are the bounds it is registered
  // with, and the schedule's after that (as computeCapacity is the fleet's initial capacity).
  project(desired, live) {
    if (!(desired.scheduled as unknown[] | undefined)?.length) return { desired, live };
    return { desired, live: { ...live, min: desired.min, max: desired.max } };
  },
  notes(d, l, now) {
    const decl = d.spec as unknown as ScalingDecl & { fleet: string; unit: string; initial?: number; capacity?: number };
    const out = [scalingWords(decl, decl.unit)];
    const next = nextChangeWords(decl.scheduled ?? [], now);
    if (next) out.push(next);
    const live = l?.facts?.capacity as number | undefined;
    if (decl.scheduled?.length && l && (l.spec.min !== decl.min || l.spec.max !== decl.max)) {
      out.push(`min/max ${rangeWords(decl.min, decl.max)} are the bounds until the first scheduled action; the schedule has set them to ${rangeWords(l.spec.min as number, l.spec.max as number)}: not changed`);
    }
    if (decl.initial !== undefined && live !== undefined && live !== decl.initial) out.push(initialCapacityNote(decl.fleet, decl.unit, decl.initial, live, "not changed"));
    return out;
  },
  ops: {
    "scaling.register": (async (ctx, s) => void (await ctx.call("autoscaling:RegisterScalableTarget", s.params, { resource: s.address }))) satisfies OpFn<RegisterScalableTargetCommandInput>,
    "scaling.put-policy": (async (ctx, s) => void (await ctx.call("autoscaling:PutScalingPolicy", s.params, { resource: s.address }))) satisfies OpFn<PutScalingPolicyCommandInput>,
    "scaling.delete-policy": ((ctx, s) => deleteOrGone(() => ctx.call("autoscaling:DeleteScalingPolicy", s.params, { resource: s.address }))) satisfies OpFn<DeleteScalingPolicyCommandInput>,
    "scaling.put-action": (async (ctx, s) => {
      const { StartTime, EndTime, ...rest } = s.params;
      const input = { ...rest, ...(StartTime ? { StartTime: new Date(StartTime) } : {}), ...(EndTime ? { EndTime: new Date(EndTime) } : {}) };
      await ctx.call("autoscaling:PutScheduledAction", input, { resource: s.address });
      return undefined;
    }) satisfies OpFn<ActionParams>,
    "scaling.delete-action": ((ctx, s) => deleteOrGone(() => ctx.call("autoscaling:DeleteScheduledAction", s.params, { resource: s.address }))) satisfies OpFn<DeleteScheduledActionCommandInput>,
    "scaling.deregister": ((ctx, s) => deleteOrGone(() => ctx.call("autoscaling:DeregisterScalableTarget", s.params, { resource: s.address }))) satisfies OpFn<DeregisterScalableTargetCommandInput>,
  },
  async read(ctx, prior) {
    const found = await readScaling(ctx.api);
    // The fleet's capacity now, for the note that says why it is not set back.
    const fleets = new Map(prior.of("Fleet").map((f) => [f.name, f]));
    return found.map((l) => {
      const cap = fleets.get(l.name)?.spec.computeCapacity as { desiredInstances?: number; desiredSessions?: number } | undefined;
      const capacity = cap?.desiredSessions ?? cap?.desiredInstances;
      return capacity === undefined ? l : { ...l, facts: { ...l.facts, capacity } };
    });
  },
  readOne: async (ctx, name) => (await readScaling(ctx.api, name))[0],
  derive(m) {
    const out: DesiredResource[] = [];
    for (const { entry, index } of scaledFleets(m)) {
      const decl = entry.scaling;
      if (decl === SCALING_NONE || typeof decl !== "object" || decl === null) continue;
      const fleet = entry.name as string;
      const initial = capacityOf(entry);
      out.push({
        kind: "Scaling", name: fleet, address: scalingAddress(fleet),
        spec: { ...(decl as Record<string, unknown>), fleet, unit: unitOf(entry), ...(initial !== undefined ? { initial } : {}) },
        pointer: `/fleets/${index}/scaling`, dependsOn: [`Fleet/${fleet}`],
      });
    }
    return out;
  },
  create: (d) => steps(d.name, d.spec as unknown as ScalingDecl, undefined, []),
  update(d, l) {
    return { steps: steps(d.name, d.spec as unknown as ScalingDecl, declOf(l), []), disruption: "none", reason: "" };
  },
  // Deregistering the target deletes its policies and scheduled actions with it (SCALE-06).
  remove: (l) => [{ id: "deregister", op: "scaling.deregister", params: target(l.name) satisfies DeregisterScalableTargetCommandInput }],
});

