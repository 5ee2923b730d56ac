/**
 * FleetSchedule and ImageBuilderSchedule: a fleet's or an image builder's `schedule:`, realised as two
 * EventBridge Scheduler schedules — `fleet-NAME-start` and `fleet-NAME-stop` (`builder-…` for builders) —
 * whose universal targets call StartFleet/StopFleet (StartImageBuilder/StopImageBuilder) with
 * `{"Name": NAME}` as input, in the set's schedule group `appstreamctl-SET`. One resource per owner: its
 * fields are the window in human terms, the time zone and the role; a change updates only the schedules
 * whose expression, zone or role differ (UpdateSchedule replaces a whole schedule, so each is sent whole).
 *
 * Ownership: the group carries the set's tag (only groups take tags), and a schedule is this set's when
 * its group is. The group is made by the first create that needs it and is never deleted (empty, it costs
 * nothing, and deleting a group deletes every schedule in it).
 *
 * Reads: the group (ListScheduleGroups by its name), one ListSchedules listing of it per kind (pages of
 * summaries), the group's tags, then one GetSchedule per schedule of a declared or owned owner: summaries
 * carry only the name, state and target ARN, not the expression, time zone, role or input that are compared.
 */
import type {
  CreateScheduleCommandInput, CreateScheduleGroupCommandInput, DeleteScheduleCommandInput, GetScheduleCommandOutput, UpdateScheduleCommandInput,
} from "@aws-sdk/client-scheduler";
import { createHash } from "node:crypto";
import { errorName, kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import { serverNow } from "../aws/server-clock.js";
import { AppError } from "../core/errors.js";
import { OWNER_TAG } from "../core/owner-tags.js";
import type { DesiredResource, FieldChange, LiveResource, ManifestDoc, ReadContext, StepDraft, UpdatePlan } from "./contract.js";
import { defineDerivedKind, type AssociationFacts, type OpCtx, type OpFn } from "./kind.js";
import { deleteOrGone } from "./op-helpers.js";
import { canonicalWindow, DEFAULT_TIMEZONE, describeSchedule, parseWindow, scheduledState, scheduleOf, windowCrons, windowOfCrons, type ScheduleSpec } from "./run-schedule.js";
import { str } from "./schema-dsl.js";

type Owner = "Fleet" | "ImageBuilder";
type Which = "start" | "stop";

type ScheduleKind = "FleetSchedule" | "ImageBuilderSchedule";

interface Flavor<K extends ScheduleKind = ScheduleKind> {
  kind: K;
  owner: Owner;
  key: "fleets" | "imageBuilders";
  prefix: string;
  actions: Record<Which, string>;
  noun: string;
  rank: number;
}

const FLEET: Flavor<"FleetSchedule"> = {
  kind: "FleetSchedule", owner: "Fleet", key: "fleets", prefix: "fleet-", noun: "fleet schedule", rank: 45,
  actions: { start: "startFleet", stop: "stopFleet" },
};
const BUILDER: Flavor<"ImageBuilderSchedule"> = {
  kind: "ImageBuilderSchedule", owner: "ImageBuilder", key: "imageBuilders", prefix: "builder-", noun: "image builder schedule", rank: 35,
  actions: { start: "startImageBuilder", stop: "stopImageBuilder" },
};

/** The longest owner name whose schedule names fit EventBridge Scheduler's 64 characters. */
export const maxOwnerName = (owner: Owner): number => 64 - (owner === "Fleet" ? FLEET : BUILDER).prefix.length - "-start".length;

/**
 * The set's schedule group: `appstreamctl-SET` when the set name fits the group name's pattern and
 * length, otherwise its fitting part and a digest of the whole (the group's tag names the set exactly).
 */
export function scheduleGroupName(set: string): string {
  const plain = `appstreamctl-${set}`;
  if (/^[0-9a-zA-Z_.-]+$/.test(set) && plain.length <= 64) return plain;
  const digest = createHash("sha256").update(set).digest("hex").slice(0, 10);
  return `appstreamctl-${set.replace(/[^0-9a-zA-Z_.-]/g, "_").slice(0, 40)}-${digest}`;
}

const partition = (region: string): string => (region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws");

/** The universal target of an AppStream action: `arn:aws:scheduler:::aws-sdk:appstream:startFleet`. */
export const universalTarget = (region: string, action: string): string => `arn:${partition(region)}:scheduler:::aws-sdk:appstream:${action}`;

/** What one live schedule holds that is compared. */
interface Held {
  expression: string;
  timezone: string;
  roleArn: string;
  targetArn: string;
  input: string;
  state: string;
}

function held(out: GetScheduleCommandOutput | Omit<GetScheduleCommandOutput, "$metadata">): Held {
  return {
    expression: out.ScheduleExpression ?? "",
    timezone: out.ScheduleExpressionTimezone ?? DEFAULT_TIMEZONE,
    roleArn: out.Target?.RoleArn ?? "",
    targetArn: out.Target?.Arn ?? "",
    input: out.Target?.Input ?? "",
    state: out.State ?? "ENABLED",
  };
}

/** The CreateSchedule/UpdateSchedule request of one of a desired resource's two schedules. */
function request(f: Flavor, d: Pick<DesiredResource, "name" | "spec">, which: Which, region: string): CreateScheduleCommandInput {
  const s = d.spec as unknown as ScheduleSpec & { group: string };
  const w = parseWindow(s.running);
  if ("error" in w) throw new AppError("schedule.window", `${f.owner}/${d.name}: schedule.running: ${w.error}`, { source: "user" });
  return {
    Name: `${f.prefix}${d.name}-${which}`,
    GroupName: s.group,
    ScheduleExpression: windowCrons(w)[which],
    ScheduleExpressionTimezone: s.timezone ?? DEFAULT_TIMEZONE,
    FlexibleTimeWindow: { Mode: "OFF" },
    State: "ENABLED",
    Description: `appstreamctl: ${which} ${f.owner === "Fleet" ? "fleet" : "image builder"} ${d.name} (running ${s.running})`,
    Target: { Arn: universalTarget(region, f.actions[which]), RoleArn: s.roleArn, Input: JSON.stringify({ Name: d.name }) },
  };
}

const differs = (want: CreateScheduleCommandInput, have: Held): boolean =>
  want.ScheduleExpression !== have.expression || want.ScheduleExpressionTimezone !== have.timezone || want.Target?.RoleArn !== have.roleArn ||
  want.Target?.Arn !== have.targetArn || want.Target?.Input !== have.input || want.State !== have.state;

const isConflict = (err: unknown): boolean => errorName(err instanceof AppError && err.cause !== undefined ? err.cause : err) === "ConflictException";

/** Makes the set's group, or confirms that the one there is the set's (its tag). */
async function ensureGroup(ctx: OpCtx, params: CreateScheduleGroupCommandInput): Promise<string | undefined> {
  try {
    await ctx.call("scheduler:CreateScheduleGroup", params);
    return undefined;
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  const group = await ctx.call("scheduler:GetScheduleGroup", { Name: params.Name });
  const tags = group.Arn ? (await ctx.call("scheduler:ListTagsForResource", { ResourceArn: group.Arn })).Tags ?? [] : [];
  const want = params.Tags?.find((t) => t.Key === OWNER_TAG)?.Value;
  const have = tags.find((t) => t.Key === OWNER_TAG)?.Value;
  if (have !== want) {
    throw new AppError(
      "schedule.group-foreign",
      `schedule group ${params.Name} exists but is not this set's (${OWNER_TAG}=${have ?? "(none)"}, not ${want ?? ""}): ` +
        `its schedules are not this set's to change. Tag the group ${OWNER_TAG}=${want ?? ""} if it is this set's, or rename the set.`,
      { source: "user" },
    );
  }
  return "group exists";
}

/** The live schedules of the owners in `prior`, per owner, from the groups of the sets those carry. */
async function readSchedules(f: Flavor, ctx: ReadContext, owners: readonly LiveResource[]): Promise<LiveResource[]> {
  const names = new Set(owners.map((o) => o.name));
  const sets = [...new Set(owners.map((o) => o.tags?.[OWNER_TAG]).filter((s): s is string => s !== undefined))];
  const out: LiveResource[] = [];
  for (const set of sets) {
    const group = scheduleGroupName(set);
    // The group is looked up first: a set without schedules (any plan with --prune) gets an empty
    // answer, not a ResourceNotFound from ListSchedules.
    const groups = await collect(async (token) => {
      const page = await ctx.api.call("scheduler:ListScheduleGroups", { NamePrefix: group, ...(token ? { NextToken: token } : {}) });
      return { items: page.ScheduleGroups ?? [], next: page.NextToken };
    }, { label: "ListScheduleGroups" });
    const groupArn = groups.find((g) => g.Name === group && g.State === "ACTIVE")?.Arn;
    if (!groupArn) continue;
    let summaries;
    try {
      summaries = await collect(async (token) => {
        const page = await ctx.api.call("scheduler:ListSchedules", { GroupName: group, NamePrefix: f.prefix, ...(token ? { NextToken: token } : {}) });
        return { items: page.Schedules ?? [], next: page.NextToken };
      }, { label: "ListSchedules" });
    } catch (err) {
      // Deleted since it was listed.
      if (kindOf(err) === "not-found") continue;
      throw err;
    }
    const mine = summaries.flatMap((s) => {
      const m = /^(.*)-(start|stop)$/.exec((s.Name ?? "").slice(f.prefix.length));
      return m && names.has(m[1]!) ? [{ owner: m[1]!, which: m[2] as Which, name: s.Name!, arn: s.Arn ?? "" }] : [];
    });
    if (!mine.length) continue;
    // A schedule is the set's when its group is.
    const tags = (await ctx.api.call("scheduler:ListTagsForResource", { ResourceArn: groupArn })).Tags ?? [];
    if (tags.find((t) => t.Key === OWNER_TAG)?.Value !== set) continue;
    const got = await ctx.map(mine, async (m) => ({ ...m, held: held(await ctx.api.call("scheduler:GetSchedule", { Name: m.name, GroupName: group })) }));
    const byOwner = new Map<string, Partial<Record<Which, Held>>>();
    for (const g of got) byOwner.set(g.owner, { ...byOwner.get(g.owner), [g.which]: g.held });
    for (const [owner, pair] of byOwner) out.push(liveOf(f, owner, group, pair));
  }
  return out;
}

function liveOf(f: Flavor, owner: string, group: string, pair: Partial<Record<Which, Held>>): LiveResource {
  const any = pair.start ?? pair.stop!;
  // A schedule disabled by hand does not fire: shown so, it differs from the window and is enabled again.
  const disabled = [pair.start, pair.stop].some((h) => h?.state === "DISABLED") ? " (disabled)" : "";
  return {
    kind: f.kind, name: owner, address: `${f.kind}/${owner}`,
    spec: { owner, group, running: `${windowOfCrons(pair.start?.expression, pair.stop?.expression)}${disabled}`, timezone: any.timezone, roleArn: any.roleArn },
    facts: { ...(pair.start ? { start: pair.start } : {}), ...(pair.stop ? { stop: pair.stop } : {}) },
  };
}

function derive(f: Flavor, m: ManifestDoc): DesiredResource[] {
  const group = scheduleGroupName(m.metadata.name);
  return (m[f.key] ?? []).flatMap((e, i) => {
    const s = scheduleOf(e);
    if (!s) return [];
    const name = String(e.name);
    return [{
      kind: f.kind, name, address: `${f.kind}/${name}`, pointer: `/${f.key}/${i}/schedule`, dependsOn: [`${f.owner}/${name}`],
      spec: { owner: name, group, set: m.metadata.name, running: canonicalWindow(s.running), timezone: s.timezone ?? DEFAULT_TIMEZONE, roleArn: s.roleArn },
    }];
  });
}

const WHICH: readonly Which[] = ["start", "stop"];

/** One set of ops for both kinds: the steps carry everything (group, name, target). */
const SCHEDULE_OPS = {
  "schedule-group.ensure": ((ctx, s) => ensureGroup(ctx, s.params)) satisfies OpFn<CreateScheduleGroupCommandInput>,
  "schedule.create": (async (ctx, s) => void (await ctx.call("scheduler:CreateSchedule", s.params, { resource: s.address }))) satisfies OpFn<CreateScheduleCommandInput>,
  "schedule.update": (async (ctx, s) => void (await ctx.call("scheduler:UpdateSchedule", s.params, { resource: s.address }))) satisfies OpFn<UpdateScheduleCommandInput>,
  "schedule.delete": ((ctx, s) => deleteOrGone(() => ctx.call("scheduler:DeleteSchedule", s.params, { resource: s.address }))) satisfies OpFn<DeleteScheduleCommandInput>,
};

function defineSchedule<K extends ScheduleKind>(f: Flavor<K>) {
  return defineDerivedKind({
    kind: f.kind,
    rank: f.rank,
    noun: f.noun,
    fields: {
      running: { role: "api", mode: "live", canonical: canonicalWindow, schema: str({ description: "The window in which it runs" }) },
      timezone: { role: "api", mode: "live", awsDefault: DEFAULT_TIMEZONE, schema: str({}) },
      roleArn: { role: "api", mode: "live", schema: str({}) },
    },
    taggable: false,
    ownership: "owner",
    parents: (l) => [`${f.owner}/${String(l.spec.owner)}`],
    readPer: f.owner,
    ownerKind: f.owner,
    declaredBy: "schedule",
    read: (ctx, prior) => readSchedules(f, ctx, prior.of(f.owner)),
    derive: (m) => derive(f, m),
    create(d, ctx) {
      const set = String(d.spec.set);
      const steps: StepDraft[] = [{ id: "group", op: "schedule-group.ensure", params: { Name: String(d.spec.group), Tags: [{ Key: OWNER_TAG, Value: set }] } }];
      for (const which of WHICH) steps.push({ id: which, op: "schedule.create", params: { ...request(f, d, which, ctx.region) }, after: ["group"] });
      return steps;
    },
    update(d, l, _changes, ctx) {
      const steps: StepDraft[] = [];
      for (const which of WHICH) {
        const want = request(f, d, which, ctx.region);
        const have = l.facts?.[which] as Held | undefined;
        if (!have) steps.push({ id: which, op: "schedule.create", params: { ...want } });
        else if (differs(want, have)) steps.push({ id: which, op: "schedule.update", params: { ...(want satisfies UpdateScheduleCommandInput) } });
      }
      return { steps, disruption: "none", reason: describeSchedule(d.spec as unknown as ScheduleSpec, serverNow()) };
    },
    remove(l) {
      return WHICH.filter((w) => l.facts?.[w] !== undefined).map((which) => ({
        id: `delete-${which}`, op: "schedule.delete", params: { Name: `${f.prefix}${l.name}-${which}`, GroupName: String(l.spec.group) },
      }));
    },
    ops: SCHEDULE_OPS,
  });
}

export const fleetSchedule = defineSchedule(FLEET);
export const imageBuilderSchedule = defineSchedule(BUILDER);

/** `schedule:` of a fleet or builder in drift and export: the live pair read back as the manifest says it. */
export function scheduleAssociation(kind: ScheduleKind): AssociationFacts {
  return {
    field: "schedule",
    live(name, live) {
      const r = live.find((l) => l.kind === kind && l.name === name);
      return r ? { running: r.spec.running, timezone: r.spec.timezone, roleArn: r.spec.roleArn } : undefined;
    },
    declared(spec) {
      const s = scheduleOf(spec);
      return s ? { running: canonicalWindow(s.running), timezone: s.timezone ?? DEFAULT_TIMEZONE, roleArn: s.roleArn } : undefined;
    },
  };
}

/**
 * With a schedule, the declared run state is the window's for the AWS side's "now": compared as the
 * window says, or as it is live within the grace after a boundary (the schedule has just fired, or the
 * resource is still on its way), so that neither plan nor drift reports it nor apply fights the schedule.
 */
export function withScheduledState(desired: Record<string, unknown>, live: Record<string, unknown>, now: number = serverNow()): Record<string, unknown> {
  const s = scheduleOf(desired);
  if (!s) return desired;
  const want = scheduledState(s, now);
  if (want === undefined) return desired;
  return { ...desired, state: want === "either" ? live.state : want };
}

/** The run state a resource with a schedule is created in: the window's now (its opening state at a boundary). */
export function stateAtCreate(spec: Record<string, unknown>, now: number = serverNow()): "running" | "stopped" | undefined {
  const s = scheduleOf(spec);
  if (!s) return spec.state as "running" | "stopped" | undefined;
  const want = scheduledState(s, now, 0);
  return want === "either" || want === undefined ? undefined : want;
}

/** A resource with a schedule in transition is the schedule's doing (or an apply's): the plan does not wait on it. */
export const scheduleMoves = (d: DesiredResource | undefined): boolean => d !== undefined && scheduleOf(d.spec) !== undefined;

/**
 * A resource's update with its run state as the schedule says it now; a start or stop it makes is
 * explained in the schedule's terms.
 */
export function scheduledUpdate(d: DesiredResource, l: LiveResource, changes: readonly FieldChange[], update: (d: DesiredResource) => UpdatePlan): UpdatePlan {
  const s = scheduleOf(d.spec);
  if (!s) return update(d);
  const now = serverNow();
  const plan = update({ ...d, spec: withScheduledState(d.spec, l.spec, now) });
  if (!changes.some((c) => c.field === "state")) return plan;
  return { ...plan, reason: [describeSchedule(s, now), plan.reason].filter(Boolean).join("; ") };
}
