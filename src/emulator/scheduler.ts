/**
 * EventBridge Scheduler (SCHED rules in SPEC.md): schedule groups and schedules per region, served over
 * REST-JSON by scheduler-http.ts and fired on the emulator clock by scheduler-fire.ts. Records keep the
 * request's wire members (dates as epoch ms) so GetSchedule echoes what was stored.
 *
 * The `default` group exists in every region without being created. Schedule names are unique per group
 * (collection key `GROUP/NAME`; neither name may contain `/`). Only schedule groups carry tags.
 */
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError } from "./errors.js";
import { epoch } from "./out.js";
import { paginate, pageSizeOf } from "./paginate.js";
import { idempotent } from "./scheduler-idempotency.js";
import { nextFireAfter } from "./scheduler-fire.js";
import { SCHEDULER_SHAPES } from "./scheduler-model.gen.js";
import { isValidTimeZone, parseScheduleExpression } from "../shared/schedule-expr.js";
import type { FlexibleTimeWindow, ScheduleGroupRecord, ScheduleRecord, ScheduleSpec, Target } from "./scheduler-records.js";
import { dict, GONE } from "./store.js";
import { begin, effective, rest } from "./transitions.js";

const DEFAULT_GROUP = "default";

const validation = (m: string) => new ApiError("ValidationException", m);
const conflict = (m: string) => new ApiError("ConflictException", m, 409);
const notFound = (m: string) => new ApiError("ResourceNotFoundException", m, 404);

export type { FlexibleTimeWindow, ScheduleGroupRecord, ScheduleRecord, ScheduleSpec, Target } from "./scheduler-records.js";

/** The wire input of CreateSchedule/UpdateSchedule (timestamps are epoch seconds in REST-JSON bodies). */
interface ScheduleInput {
  Name: string;
  GroupName?: string;
  ClientToken?: string;
  Description?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: number;
  EndDate?: number;
  State?: "ENABLED" | "DISABLED";
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: Target;
  ActionAfterCompletion?: "NONE" | "DELETE";
  KmsKeyArn?: string;
}

type Tag = { Key: string; Value: string };

function scheduleArn(ctx: OpContext, group: string, name: string): string {
  return `arn:aws:scheduler:${ctx.region}:${ctx.account}:schedule/${group}/${name}`;
}

function groupArn(ctx: OpContext, name: string): string {
  return `arn:aws:scheduler:${ctx.region}:${ctx.account}:schedule-group/${name}`;
}

function schedulesOf(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<ScheduleRecord>(ctx.region, "schedules");
}

/** The region's groups: `default` added on first use, groups whose deletion completed dropped. */
function groupsOf(ctx: OpContext) {
  const t = ctx.store.table<ScheduleGroupRecord>(ctx.region, "scheduleGroups");
  if (!Object.hasOwn(t, DEFAULT_GROUP)) t[DEFAULT_GROUP] = newGroup(ctx, DEFAULT_GROUP);
  for (const [name, g] of Object.entries(t)) if (groupState(ctx, g) === GONE) delete t[name];
  return t;
}

function newGroup(ctx: OpContext, name: string): ScheduleGroupRecord {
  return { Name: name, Arn: groupArn(ctx, name), createdAt: ctx.now, modifiedAt: ctx.now, tags: dict(), lifecycle: rest(ctx.now, "ACTIVE") };
}

function groupState(ctx: OpContext, g: ScheduleGroupRecord): string {
  return effective(g.lifecycle, ctx.now).state;
}

function requireGroup(ctx: OpContext, name: string): ScheduleGroupRecord {
  const g = groupsOf(ctx)[name];
  if (!g) throw notFound(`Schedule group ${name} does not exist.`);
  return g;
}

function requireSchedule(ctx: OpContext, group: string, name: string): ScheduleRecord {
  requireGroup(ctx, group);
  const rec = schedulesOf(ctx)[`${group}/${name}`];
  if (!rec) throw notFound(`Schedule ${name} does not exist.`);
  return rec;
}

// ---------------------------------------------------------------------------------------------------
// Rules the model cannot express

/** Read-only actions universal targets refuse (Scheduler user guide, "Using universal targets"). */
const READ_ONLY_PREFIXES = [
  "get", "describe", "list", "poll", "receive", "search", "scan", "query", "select", "read", "lookup", "discover", "validate",
  "batchGet", "batchDescribe", "batchRead", "transactGet", "adminGet", "adminList", "testMigration", "retrieve", "testConnection",
  "translateDocument", "isAuthorized", "invokeModel",
];

const UNIVERSAL_TARGET = /^arn:aws(?:-[a-z]+)?:scheduler:::aws-sdk:([a-z0-9-]+):([a-zA-Z][a-zA-Z0-9]*)$/;

function checkTarget(target: Target): void {
  if (/^arn:aws(?:-[a-z]+)?:scheduler:::aws-sdk:/.test(target.Arn)) {
    const m = UNIVERSAL_TARGET.exec(target.Arn);
    if (!m) throw validation(`Invalid universal target ARN ${target.Arn}: expected arn:aws:scheduler:::aws-sdk:service:apiAction.`);
    const action = m[2]!;
    if (READ_ONLY_PREFIXES.some((p) => action.startsWith(p) && (action.length === p.length || /[A-Z0-9]/.test(action[p.length]!)))) {
      throw validation(`The action ${action} of ${target.Arn} is read-only; universal targets do not support read-only API actions.`);
    }
    if (target.Input !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(target.Input);
      } catch {
        throw validation("The Input of a universal target must be well-formed JSON.");
      }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw validation("The Input of a universal target must be a JSON object.");
    }
  } else if (!/^arn:aws(?:-[a-z]+)?:[a-z0-9-]+:/.test(target.Arn)) {
    throw validation(`Invalid target ARN ${target.Arn}.`);
  }
}

/** A copy of `value` with only the members the model's shape defines, so GetSchedule never echoes others. */
function modelOnly(shapeName: string, value: unknown): unknown {
  const shape = SCHEDULER_SHAPES[shapeName];
  if (value === null || value === undefined || !shape) return value;
  if (shape.type === "list" && Array.isArray(value)) return value.map((v) => modelOnly(shape.member, v));
  if (shape.type === "map" && typeof value === "object") {
    return dict(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, modelOnly(shape.value, v)] as const));
  }
  if (shape.type !== "structure" || typeof value !== "object") return value;
  const v = value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(shape.members).filter(([m]) => v[m] !== undefined).map(([m, ref]) => [m, modelOnly(ref, v[m])]));
}

/** The stored spec of a create/update request, after the checks the model's documentation states. */
function specOf(input: ScheduleInput): ScheduleSpec {
  const parsed = parseScheduleExpression(input.ScheduleExpression);
  if ("error" in parsed) throw validation(`Invalid Schedule Expression ${input.ScheduleExpression}: ${parsed.error}`);
  const tz = input.ScheduleExpressionTimezone;
  if (tz !== undefined && !isValidTimeZone(tz)) throw validation(`Invalid ScheduleExpressionTimezone ${tz}: not an IANA time zone.`);
  const ftw = input.FlexibleTimeWindow;
  if (ftw.Mode === "FLEXIBLE" && ftw.MaximumWindowInMinutes === undefined) {
    throw validation("MaximumWindowInMinutes is required when the FlexibleTimeWindow Mode is FLEXIBLE.");
  }
  if (ftw.Mode === "OFF" && ftw.MaximumWindowInMinutes !== undefined) {
    throw validation("MaximumWindowInMinutes must not be set when the FlexibleTimeWindow Mode is OFF.");
  }
  const start = input.StartDate === undefined ? undefined : Math.round(input.StartDate * 1000);
  const end = input.EndDate === undefined ? undefined : Math.round(input.EndDate * 1000);
  if (start !== undefined && end !== undefined && end <= start) throw validation("The EndDate must be after the StartDate.");
  checkTarget(input.Target);
  return {
    Description: input.Description,
    ScheduleExpression: input.ScheduleExpression,
    ScheduleExpressionTimezone: tz,
    StartDate: start,
    EndDate: end,
    State: input.State ?? "ENABLED",
    FlexibleTimeWindow: { Mode: ftw.Mode, MaximumWindowInMinutes: ftw.MaximumWindowInMinutes },
    Target: modelOnly("Target", input.Target) as Target,
    ActionAfterCompletion: input.ActionAfterCompletion ?? "NONE",
    KmsKeyArn: input.KmsKeyArn,
  };
}

/** Sets when the schedule fires next, counting from `now` (a create, an update, a re-enable). */
function plan(rec: ScheduleRecord, now: number): void {
  rec.anchorMs = now;
  rec.nextFireAt = nextFireAfter(rec.spec, rec.anchorMs, now);
}

// ---------------------------------------------------------------------------------------------------
// Schedules

function scheduleView(rec: ScheduleRecord): Record<string, unknown> {
  const s = rec.spec;
  return {
    ActionAfterCompletion: s.ActionAfterCompletion,
    Arn: rec.Arn,
    CreationDate: epoch(rec.createdAt),
    Description: s.Description,
    EndDate: s.EndDate === undefined ? undefined : epoch(s.EndDate),
    FlexibleTimeWindow: s.FlexibleTimeWindow,
    GroupName: rec.GroupName,
    KmsKeyArn: s.KmsKeyArn,
    LastModificationDate: epoch(rec.modifiedAt),
    Name: rec.Name,
    ScheduleExpression: s.ScheduleExpression,
    ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
    StartDate: s.StartDate === undefined ? undefined : epoch(s.StartDate),
    State: s.State,
    Target: s.Target,
  };
}

const createSchedule = op<ScheduleInput>((ctx, input) => {
  const group = input.GroupName ?? DEFAULT_GROUP;
  const g = requireGroup(ctx, group);
  if (groupState(ctx, g) !== "ACTIVE") throw conflict(`Schedule group ${group} is being deleted.`);
  const key = `${group}/${input.Name}`;
  const schedules = schedulesOf(ctx);
  if (Object.hasOwn(schedules, key)) throw conflict(`Schedule ${input.Name} already exists.`);
  const rec: ScheduleRecord = {
    Name: input.Name, GroupName: group, Arn: scheduleArn(ctx, group, input.Name), createdAt: ctx.now, modifiedAt: ctx.now,
    spec: specOf(input), anchorMs: ctx.now,
  };
  plan(rec, ctx.now);
  schedules[key] = rec;
  return { ScheduleArn: rec.Arn };
});

const updateSchedule = op<ScheduleInput>((ctx, input) => {
  const rec = requireSchedule(ctx, input.GroupName ?? DEFAULT_GROUP, input.Name);
  rec.spec = specOf(input);
  rec.modifiedAt = ctx.now;
  plan(rec, ctx.now);
  return { ScheduleArn: rec.Arn };
});

const deleteSchedule = op<{ Name: string; GroupName?: string }>((ctx, input) => {
  const rec = requireSchedule(ctx, input.GroupName ?? DEFAULT_GROUP, input.Name);
  delete schedulesOf(ctx)[`${rec.GroupName}/${rec.Name}`];
  return {};
});

const getSchedule = op<{ Name: string; GroupName?: string }>((ctx, input) =>
  scheduleView(requireSchedule(ctx, input.GroupName ?? DEFAULT_GROUP, input.Name)),
);

const listSchedules = op<{ GroupName?: string; NamePrefix?: string; State?: string; MaxResults?: number; NextToken?: string }>((ctx, input) => {
  if (input.GroupName !== undefined) requireGroup(ctx, input.GroupName);
  const items = Object.values(schedulesOf(ctx))
    .filter((r) => (input.GroupName === undefined || r.GroupName === input.GroupName) && r.Name.startsWith(input.NamePrefix ?? ""))
    .filter((r) => input.State === undefined || r.spec.State === input.State)
    .sort((a, b) => (a.GroupName === b.GroupName ? cmp(a.Name, b.Name) : cmp(a.GroupName, b.GroupName)));
  const scope = `ListSchedules|${input.GroupName ?? ""}|${input.NamePrefix ?? ""}|${input.State ?? ""}`;
  const page = paginate(items, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return {
    Schedules: page.items.map((r) => ({
      Arn: r.Arn, CreationDate: epoch(r.createdAt), GroupName: r.GroupName, LastModificationDate: epoch(r.modifiedAt), Name: r.Name,
      State: r.spec.State, Target: { Arn: r.spec.Target.Arn },
    })),
    NextToken: page.nextToken,
  };
});

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------------
// Schedule groups

function groupView(ctx: OpContext, g: ScheduleGroupRecord): Record<string, unknown> {
  return { Arn: g.Arn, CreationDate: epoch(g.createdAt), LastModificationDate: epoch(g.modifiedAt), Name: g.Name, State: groupState(ctx, g) };
}

function tagsOf(list: Tag[] | undefined): Record<string, string> {
  return dict((list ?? []).map((t) => [t.Key, t.Value] as const));
}

const createScheduleGroup = op<{ Name: string; Tags?: Tag[] }>((ctx, input) => {
  const groups = groupsOf(ctx);
  if (Object.hasOwn(groups, input.Name)) throw conflict(`Schedule group ${input.Name} already exists.`);
  const g = newGroup(ctx, input.Name);
  g.tags = tagsOf(input.Tags);
  groups[input.Name] = g;
  return { ScheduleGroupArn: g.Arn };
});

const deleteScheduleGroup = op<{ Name: string }>((ctx, input) => {
  if (input.Name === DEFAULT_GROUP) throw validation("The default schedule group cannot be deleted.");
  const g = requireGroup(ctx, input.Name);
  if (groupState(ctx, g) !== "ACTIVE") throw conflict(`Schedule group ${input.Name} is already being deleted.`);
  const schedules = schedulesOf(ctx);
  for (const [key, rec] of Object.entries(schedules)) if (rec.GroupName === input.Name) delete schedules[key];
  g.lifecycle = begin(ctx.now, "DELETING", [{ state: GONE, durationMs: ctx.config.durations.scheduleGroupDelete }], ctx.config.timeScale);
  return {};
});

const getScheduleGroup = op<{ Name: string }>((ctx, input) => groupView(ctx, requireGroup(ctx, input.Name)));

const listScheduleGroups = op<{ NamePrefix?: string; MaxResults?: number; NextToken?: string }>((ctx, input) => {
  const items = Object.values(groupsOf(ctx))
    .filter((g) => g.Name.startsWith(input.NamePrefix ?? ""))
    .sort((a, b) => cmp(a.Name, b.Name));
  const page = paginate(items, `ListScheduleGroups|${input.NamePrefix ?? ""}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { ScheduleGroups: page.items.map((g) => groupView(ctx, g)), NextToken: page.nextToken };
});

// ---------------------------------------------------------------------------------------------------
// Tags (schedule groups only: the model's TagResourceArn pattern admits no other resource)

/** The group an ARN names in this region and account; the default group has no tags to change. */
function groupByArn(ctx: OpContext, arn: string, changing: boolean): ScheduleGroupRecord {
  const m = /^arn:aws(?:-[a-z]+)?:scheduler:([a-z0-9-]+):(\d{12}):schedule-group\/(.+)$/.exec(arn);
  const g = m && m[1] === ctx.region && m[2] === ctx.account ? groupsOf(ctx)[m[3]!] : undefined;
  if (!g) throw notFound(`The resource ${arn} does not exist.`);
  if (changing && g.Name === DEFAULT_GROUP) throw validation("The default schedule group cannot be tagged.");
  return g;
}

const tagResource = op<{ ResourceArn: string; Tags: Tag[] }>((ctx, input) => {
  const g = groupByArn(ctx, input.ResourceArn, true);
  for (const t of input.Tags) g.tags[t.Key] = t.Value;
  return {};
});

const untagResource = op<{ ResourceArn: string; TagKeys: string[] }>((ctx, input) => {
  const g = groupByArn(ctx, input.ResourceArn, true);
  for (const k of input.TagKeys) delete g.tags[k];
  return {};
});

const listTagsForResource = op<{ ResourceArn: string }>((ctx, input) => {
  const { tags } = groupByArn(ctx, input.ResourceArn, false);
  return { Tags: Object.keys(tags).sort(cmp).map((Key) => ({ Key, Value: tags[Key]! })) };
});

/** Scheduler operations (REST-JSON; routed by scheduler-http.ts, not by X-Amz-Target). */
export const schedulerOps: Record<string, OpHandler> = {
  CreateSchedule: idempotent("CreateSchedule", createSchedule),
  GetSchedule: getSchedule,
  UpdateSchedule: idempotent("UpdateSchedule", updateSchedule),
  DeleteSchedule: idempotent("DeleteSchedule", deleteSchedule),
  ListSchedules: listSchedules,
  CreateScheduleGroup: idempotent("CreateScheduleGroup", createScheduleGroup),
  GetScheduleGroup: getScheduleGroup,
  DeleteScheduleGroup: idempotent("DeleteScheduleGroup", deleteScheduleGroup),
  ListScheduleGroups: listScheduleGroups,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
