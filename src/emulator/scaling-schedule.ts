/**
 * Application Auto Scaling scheduled actions: PutScheduledAction, DeleteScheduledAction,
 * DescribeScheduledActions, and their firing on the emulator clock (SCALE-08 … SCALE-11).
 *
 * Firing is lazy, like every other time-driven change of the emulator: each request first runs the
 * occurrences that fell due in its region since the previous request ({@link runScheduledScaling}), so
 * advancing the clock (`POST /_emulator/clock`) and then reading shows the state a real night would
 * leave. Occurrences of one action that all fell due unobserved collapse into the latest of them.
 */
import type {
  DeleteScheduledActionRequest,
  DescribeScheduledActionsRequest,
  PutScheduledActionRequest,
} from "@aws-sdk/client-application-auto-scaling";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError } from "./errors.js";
import { epoch } from "./out.js";
import {
  autoscalingArn,
  checkDimensionNeedsResource,
  clampFleet,
  objectNotFound,
  onTargets,
  recordActivity,
  requireTarget,
  scalingPage,
  targetKey,
  targetWords,
  validation,
  type ScalableTargetRecord,
} from "./scaling-common.js";
import { isValidTimeZone, nextFire, parseScheduleExpression, type ScheduleExpression } from "../shared/schedule-expr.js";
import type { Store } from "./store.js";

const ACTIONS_PER_TARGET = 200;
const DAY_MS = 86_400_000;

/** A stored scheduled action (collection `scheduledActions`, key target key + `|` + name). */
interface ScheduledActionRecord {
  target: string;
  ScheduledActionName: string;
  ScheduledActionARN: string;
  Schedule: string;
  Timezone?: string;
  StartTime?: number;
  EndTime?: number;
  ScalableTargetAction: { MinCapacity?: number; MaxCapacity?: number };
  createdAt: number;
  /** Where a rate expression counts its periods from: StartTime, else when the action was put. */
  anchor: number;
  /** The next occurrence not yet run, or undefined when the schedule has none left. */
  nextAt?: number;
}

function actionsOf(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<ScheduledActionRecord>(ctx.region, "scheduledActions");
}

function parsed(schedule: string): ScheduleExpression {
  const e = parseScheduleExpression(schedule);
  if ("error" in e) throw validation(e.error);
  return e;
}

/** The first occurrence after `after` within the action's start and end times. */
function nextOccurrence(a: ScheduledActionRecord, after: number): number | undefined {
  const t = nextFire(parsed(a.Schedule), a.Timezone, after, a.StartTime ?? (a.Schedule.startsWith("rate(") ? a.anchor : undefined));
  return t !== undefined && (a.EndTime === undefined || t <= a.EndTime) ? t : undefined;
}

/** The latest occurrence in [first, until], given that `first` is one. */
function latestOccurrence(a: ScheduledActionRecord, first: number, until: number): number {
  let t = first;
  // Jump close to the end first: a schedule that fires every minute must not be walked for months.
  if (until - t > 2 * DAY_MS) {
    const late = nextOccurrence(a, until - 2 * DAY_MS);
    if (late !== undefined && late <= until) t = late;
  }
  for (;;) {
    const n = nextOccurrence(a, t);
    if (n === undefined || n > until) return t;
    t = n;
  }
}

/** Dropping a target drops its scheduled actions (SCALE-06). */
export function dropScheduledActionsOf(ctx: OpContext, key: string): void {
  const table = actionsOf(ctx);
  for (const [k, a] of Object.entries(table)) if (a.target === key) delete table[k];
}

function capacityWords(min: number | undefined, max: number | undefined): string {
  return [min !== undefined ? `min capacity to ${min}` : "", max !== undefined ? `max capacity to ${max}` : ""].filter(Boolean).join(" and ");
}

/** Runs one occurrence of `a` at instant `at` on its target (SCALE-09). */
function fire(store: Store, region: string, a: ScheduledActionRecord, target: ScalableTargetRecord, at: number): void {
  const { MinCapacity: min, MaxCapacity: max } = a.ScalableTargetAction;
  if (min !== undefined) target.MinCapacity = min;
  if (max !== undefined) target.MaxCapacity = max;
  // A bound the action leaves alone moves with the other rather than contradict it.
  if (target.MinCapacity > target.MaxCapacity) {
    if (min !== undefined) target.MaxCapacity = target.MinCapacity;
    else target.MinCapacity = target.MaxCapacity;
  }
  const at_ = { store, region, now: at };
  const words = capacityWords(min, max);
  recordActivity(at_, target, {
    Description: `Setting ${words}`,
    Cause: `scheduled action name ${a.ScheduledActionName} was triggered`,
    StatusMessage: `Successfully set ${words}. Change successfully fulfilled by ${target.ServiceNamespace}.`,
  });
  clampFleet(at_, target, `scheduled action name ${a.ScheduledActionName} set the capacity range to ${target.MinCapacity}-${target.MaxCapacity}`);
}

/**
 * Runs every scheduled action of `region` that fell due by `now`, in time order; true when anything ran
 * or advanced (the caller persists). Targets with ScheduledScalingSuspended skip their occurrences.
 */
export function runScheduledScaling(store: Store, region: string, now: number): boolean {
  const table = store.existing<ScheduledActionRecord>(region, "scheduledActions");
  if (!table) return false;
  const due: { a: ScheduledActionRecord; at: number }[] = [];
  for (const a of Object.values(table)) {
    if (a.nextAt === undefined || a.nextAt > now) continue;
    due.push({ a, at: latestOccurrence(a, a.nextAt, now) });
    a.nextAt = nextOccurrence(a, now);
  }
  if (due.length === 0) return false;
  const targets = store.table<ScalableTargetRecord>(region, "scalableTargets");
  for (const { a, at } of due.sort((x, y) => x.at - y.at)) {
    const target = targets[a.target];
    if (target && !target.SuspendedState.ScheduledScalingSuspended) fire(store, region, a, target, at);
  }
  return true;
}

/** A timestamp member as the wire carries it (epoch seconds) → epoch ms. */
function wireTime(v: unknown): number | undefined {
  return typeof v === "number" ? Math.round(v * 1000) : undefined;
}

const putScheduledAction = op<PutScheduledActionRequest>((ctx, input, raw) => {
  const target = requireTarget(ctx, input);
  const tKey = targetKey(target.ServiceNamespace, target.ResourceId, target.ScalableDimension);
  const key = `${tKey}|${input.ScheduledActionName}`;
  const existing = actionsOf(ctx)[key];
  const schedule = input.Schedule ?? existing?.Schedule;
  if (schedule === undefined) throw validation("Schedule is required when you create a scheduled action.");
  parsed(schedule);
  const timezone = input.Timezone ?? existing?.Timezone;
  if (timezone !== undefined && !isValidTimeZone(timezone)) throw validation(`Invalid time zone: ${timezone}`);
  const start = wireTime(raw.StartTime);
  const end = wireTime(raw.EndTime);
  if (start !== undefined && end !== undefined && start >= end) throw validation("The start time must be before the end time.");
  const action = input.ScalableTargetAction ?? existing?.ScalableTargetAction;
  if (!action || (action.MinCapacity === undefined && action.MaxCapacity === undefined)) {
    throw validation("ScalableTargetAction must set MinCapacity, MaxCapacity or both.");
  }
  if ((action.MinCapacity ?? 0) < 0 || (action.MaxCapacity ?? 0) < 0) throw validation("Capacity cannot be less than 0");
  if (action.MinCapacity !== undefined && action.MaxCapacity !== undefined && action.MinCapacity > action.MaxCapacity) {
    throw validation("Minimum capacity cannot be greater than maximum capacity");
  }
  if (!existing && Object.values(actionsOf(ctx)).filter((a) => a.target === tKey).length >= ACTIONS_PER_TARGET) {
    throw new ApiError("LimitExceededException", `A scalable target can have at most ${ACTIONS_PER_TARGET} scheduled actions.`);
  }
  const rec: ScheduledActionRecord = {
    target: tKey,
    ScheduledActionName: input.ScheduledActionName!,
    ScheduledActionARN: existing?.ScheduledActionARN ?? autoscalingArn(ctx, "scheduledAction", target, input.ScheduledActionName!),
    Schedule: schedule,
    ...(timezone !== undefined ? { Timezone: timezone } : {}),
    ...(start !== undefined ? { StartTime: start } : {}),
    ...(end !== undefined ? { EndTime: end } : {}),
    ScalableTargetAction: { ...action },
    createdAt: existing?.createdAt ?? ctx.now,
    anchor: start ?? ctx.now,
  };
  const next = nextOccurrence(rec, ctx.now);
  if (next !== undefined) rec.nextAt = next;
  actionsOf(ctx)[key] = rec;
  return {};
});

const deleteScheduledAction = op<DeleteScheduledActionRequest>((ctx, input) => {
  const key = `${targetKey(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!)}|${input.ScheduledActionName}`;
  if (!actionsOf(ctx)[key]) {
    throw objectNotFound(
      `No scheduled action found for ${targetWords(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!)}, scheduled action name: ${input.ScheduledActionName}`,
    );
  }
  delete actionsOf(ctx)[key];
  return {};
});

const describeScheduledActions = op<DescribeScheduledActionsRequest>((ctx, input) => {
  checkDimensionNeedsResource(input);
  const items = onTargets(ctx, Object.values(actionsOf(ctx)), input, input.ScheduledActionNames, {
    name: (a) => a.ScheduledActionName, arn: (a) => a.ScheduledActionARN,
  });
  const scope = `DescribeScheduledActions|${JSON.stringify([input.ServiceNamespace, input.ResourceId, input.ScalableDimension, input.ScheduledActionNames])}`;
  const page = scalingPage(items, scope, input, 50);
  return {
    ScheduledActions: page.items.map(({ r: a, t }) => ({
      ScheduledActionName: a.ScheduledActionName,
      ScheduledActionARN: a.ScheduledActionARN,
      ServiceNamespace: t.ServiceNamespace,
      Schedule: a.Schedule,
      Timezone: a.Timezone,
      ResourceId: t.ResourceId,
      ScalableDimension: t.ScalableDimension,
      StartTime: a.StartTime === undefined ? undefined : epoch(a.StartTime),
      EndTime: a.EndTime === undefined ? undefined : epoch(a.EndTime),
      ScalableTargetAction: { ...a.ScalableTargetAction },
      CreationTime: epoch(a.createdAt),
    })),
    NextToken: page.NextToken,
  };
});

export const scheduleOps: Record<string, OpHandler> = {
  PutScheduledAction: putScheduledAction,
  DeleteScheduledAction: deleteScheduledAction,
  DescribeScheduledActions: describeScheduledActions,
};
