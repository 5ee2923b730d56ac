/**
 * The stored schedules and schedule groups of EventBridge Scheduler: a leaf, shared by the operations
 * (scheduler.ts) and the firing of due schedules (scheduler-fire.ts), which each need the other's functions.
 */
import type { BaseRecord } from "./store.js";
import type { Lifecycle } from "./transitions.js";

export interface FlexibleTimeWindow {
  Mode: "OFF" | "FLEXIBLE";
  MaximumWindowInMinutes?: number;
}

/** The schedule's `Target` as sent (Arn, RoleArn, Input, and any per-service parameters). */
export type Target = { Arn: string; RoleArn: string; Input?: string } & Record<string, unknown>;

/** What CreateSchedule/UpdateSchedule set; UpdateSchedule replaces all of it. */
export interface ScheduleSpec {
  Description?: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone?: string;
  /** Epoch ms. */
  StartDate?: number;
  EndDate?: number;
  State: "ENABLED" | "DISABLED";
  FlexibleTimeWindow: FlexibleTimeWindow;
  Target: Target;
  ActionAfterCompletion: "NONE" | "DELETE";
  KmsKeyArn?: string;
}

export interface ScheduleRecord extends BaseRecord {
  Name: string;
  GroupName: string;
  Arn: string;
  modifiedAt: number;
  spec: ScheduleSpec;
  /** When rate() periods are counted from without a StartDate: the last create/update. */
  anchorMs: number;
  /** The next invocation (epoch ms); absent when the schedule will not fire again. */
  nextFireAt?: number;
}

export interface ScheduleGroupRecord extends BaseRecord {
  Name: string;
  Arn: string;
  modifiedAt: number;
  tags: Record<string, string>;
  /** ACTIVE, or DELETING → GONE after DeleteScheduleGroup. */
  lifecycle: Lifecycle;
}
