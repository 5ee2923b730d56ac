/**
 * What the Application Auto Scaling area shares between its files (scaling.ts, scaling-schedule.ts): the
 * records, the scalable target of a request, capacity changes on the AppStream fleet, scaling activities
 * and pagination. Rules are numbered SCALE-xx in SPEC.md.
 */
import { randomUUID } from "node:crypto";
import type { OpContext } from "./context.js";
import { ApiError } from "./errors.js";
import type { FleetRecord } from "./fleets.js";
import { epoch } from "./out.js";
import { decodeToken, encodeToken } from "./paginate.js";

export const APPSTREAM_NAMESPACE = "appstream";
export const APPSTREAM_DIMENSION = "appstream:fleet:DesiredCapacity";

/** A registered scalable target (collection `scalableTargets`, key {@link targetKey}). */
export interface ScalableTargetRecord {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  SuspendedState: { DynamicScalingInSuspended: boolean; DynamicScalingOutSuspended: boolean; ScheduledScalingSuspended: boolean };
  ScalableTargetARN: string;
  createdAt: number;
  tags: Record<string, string>;
}

/** One scaling activity (collection `scalingActivities`, key ActivityId). */
export interface ActivityRecord {
  ActivityId: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime: number;
  StatusCode: "Successful" | "Failed";
  StatusMessage: string;
  /** Insertion order, so activities recorded in one instant keep their order. */
  seq: number;
}

export const validation = (message: string) => new ApiError("ValidationException", message);
export const objectNotFound = (message: string) => new ApiError("ObjectNotFoundException", message);

export function targetKey(ns: string, resourceId: string, dimension: string): string {
  return `${ns}|${resourceId}|${dimension}`;
}

export function targetsOf(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<ScalableTargetRecord>(ctx.region, "scalableTargets");
}

export function activitiesOf(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<ActivityRecord>(ctx.region, "scalingActivities");
}

/** The words AWS uses to name a target in its not-found messages. */
export function targetWords(ns: string, resourceId: string, dimension: string): string {
  return `service namespace: ${ns}, resource ID: ${resourceId}, scalable dimension: ${dimension}`;
}

/** The registered target a request names (SCALE-05); ObjectNotFoundException otherwise. */
export function requireTarget(
  ctx: OpContext,
  input: { ServiceNamespace?: string; ResourceId?: string; ScalableDimension?: string },
): ScalableTargetRecord {
  const { ServiceNamespace: ns = "", ResourceId: id = "", ScalableDimension: dim = "" } = input;
  const rec = targetsOf(ctx)[targetKey(ns, id, dim)];
  if (!rec) throw objectNotFound(`No scalable target registered for ${targetWords(ns, id, dim)}`);
  return rec;
}

/** "If you specify a scalable dimension, you must also specify a resource ID" (Describe* docs). */
export function checkDimensionNeedsResource(input: { ResourceId?: string; ScalableDimension?: string }): void {
  if (input.ScalableDimension !== undefined && input.ResourceId === undefined) {
    throw validation("If you specify a scalable dimension, you must also specify a resource ID.");
  }
}

/** The fleet name of an AppStream resource id `fleet/NAME`, or undefined. */
export function fleetNameOf(resourceId: string): string | undefined {
  const m = /^fleet\/(.+)$/.exec(resourceId);
  return m?.[1];
}

/**
 * The capacity member the dimension scales: DesiredSessions for multi-session fleets (their capacity is in
 * user sessions), DesiredInstances otherwise (SCALE-04).
 */
function capacityMember(fleet: FleetRecord): "DesiredInstances" | "DesiredSessions" {
  return fleet.attrs.MaxSessionsPerInstance !== undefined ? "DesiredSessions" : "DesiredInstances";
}

/** The fleet's desired capacity in the dimension's unit. */
export function fleetCapacity(fleet: FleetRecord): number {
  return fleet.attrs.ComputeCapacity?.[capacityMember(fleet)] ?? 0;
}

/**
 * Puts the fleet's desired capacity into [min, max] and records the change as an activity (SCALE-04,
 * SCALE-13); nothing happens when it already is inside, or when the fleet is gone.
 */
export function clampFleet(ctx: Pick<OpContext, "store" | "region" | "now">, target: ScalableTargetRecord, cause: string): void {
  const name = fleetNameOf(target.ResourceId);
  const fleet = name === undefined ? undefined : ctx.store.table<FleetRecord>(ctx.region, "fleets")[name];
  if (!fleet) return;
  const current = fleetCapacity(fleet);
  const wanted = Math.min(Math.max(current, target.MinCapacity), target.MaxCapacity);
  if (wanted === current) return;
  fleet.attrs.ComputeCapacity = { ...fleet.attrs.ComputeCapacity, [capacityMember(fleet)]: wanted };
  recordActivity(ctx, target, {
    Description: `Setting desired capacity to ${wanted}.`,
    Cause: `${cause}, so the current capacity of ${current} was set to ${wanted}`,
    StatusMessage: `Successfully set desired capacity to ${wanted}. Change successfully fulfilled by appstream.`,
  });
}

/** Records a successful activity that started and ended now. */
export function recordActivity(
  ctx: Pick<OpContext, "store" | "region" | "now">,
  target: ScalableTargetRecord,
  what: { Description: string; Cause: string; StatusMessage: string },
): void {
  const table = activitiesOf(ctx);
  const id = randomUUID();
  table[id] = {
    ActivityId: id,
    ServiceNamespace: target.ServiceNamespace,
    ResourceId: target.ResourceId,
    ScalableDimension: target.ScalableDimension,
    ...what,
    StartTime: ctx.now,
    EndTime: ctx.now,
    StatusCode: "Successful",
    seq: Object.keys(table).length,
  };
}

/** The API `ScalingActivity`. */
export function activityView(a: ActivityRecord): Record<string, unknown> {
  const { seq: _seq, StartTime, EndTime, ...rest } = a;
  return { ...rest, StartTime: epoch(StartTime), EndTime: epoch(EndTime) };
}

/**
 * One page of `items`: MaxResults between 1 and `max` (default `max`, SCALE-12); a NextToken not issued
 * for this request → InvalidNextTokenException.
 */
export function scalingPage<T>(items: readonly T[], scope: string, input: { MaxResults?: number; NextToken?: string }, max: number) {
  const size = input.MaxResults ?? max;
  if (size < 1 || size > max) throw validation(`MaxResults must be between 1 and ${max}.`);
  let start = 0;
  if (input.NextToken !== undefined) {
    try {
      start = decodeToken(scope, input.NextToken);
    } catch {
      throw new ApiError("InvalidNextTokenException", "Invalid token");
    }
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { items: page, NextToken: end < items.length ? encodeToken(scope, end) : undefined };
}

/** The service's ARNs of policies and scheduled actions: `arn:aws:autoscaling:…:resource/NS/ID:KIND/NAME`. */
export function autoscalingArn(ctx: OpContext, kind: "scalingPolicy" | "scheduledAction", target: ScalableTargetRecord, name: string): string {
  const nameKind = kind === "scalingPolicy" ? "policyName" : "scheduledActionName";
  return `arn:aws:autoscaling:${ctx.region}:${ctx.account}:${kind}:${randomUUID()}:resource/${target.ServiceNamespace}/${target.ResourceId}:${nameKind}/${name}`;
}

/**
 * The records hung on scalable targets (scaling policies, scheduled actions) a Describe call selects: those
 * of targets in its namespace (and resource and dimension, when given) with one of its names, oldest first.
 */
export function onTargets<R extends { target: string; createdAt: number }>(
  ctx: Pick<OpContext, "store" | "region">,
  records: Iterable<R>,
  input: { ServiceNamespace?: string; ResourceId?: string; ScalableDimension?: string },
  names: readonly string[] | undefined,
  key: { name: (r: R) => string; arn: (r: R) => string },
): { r: R; t: ScalableTargetRecord }[] {
  const wanted = names?.length ? new Set(names) : undefined;
  const targets = targetsOf(ctx);
  return [...records]
    .map((r) => ({ r, t: targets[r.target]! }))
    .filter(({ t }) => t && t.ServiceNamespace === input.ServiceNamespace)
    .filter(({ t }) => (input.ResourceId === undefined || t.ResourceId === input.ResourceId) && (input.ScalableDimension === undefined || t.ScalableDimension === input.ScalableDimension))
    .filter(({ r }) => !wanted || wanted.has(key.name(r)))
    .sort((x, y) => x.r.createdAt - y.r.createdAt || (key.arn(x.r) < key.arn(y.r) ? -1 : 1));
}
