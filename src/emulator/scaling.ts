/**
 * Application Auto Scaling (AWS JSON 1.1, `X-Amz-Target: AnyScaleFrontendService.<Op>`) on the emulator's
 * port, for AppStream fleets: scalable targets, scaling policies (stored and described; nothing evaluates
 * them), scaling activities and tags. Scheduled actions live in scaling-schedule.ts. Rules are numbered
 * SCALE-xx in SPEC.md; requests are validated against the generated tables of scaling-model.gen.ts.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type {
  DeleteScalingPolicyRequest,
  DeregisterScalableTargetRequest,
  DescribeScalableTargetsRequest,
  DescribeScalingActivitiesRequest,
  DescribeScalingPoliciesRequest,
  ListTagsForResourceRequest,
  PutScalingPolicyRequest,
  RegisterScalableTargetRequest,
  TagResourceRequest,
  UntagResourceRequest,
} from "@aws-sdk/client-application-auto-scaling";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError } from "./errors.js";
import type { FleetRecord } from "./fleets.js";
import { epoch } from "./out.js";
import {
  APPSTREAM_DIMENSION,
  APPSTREAM_NAMESPACE,
  activitiesOf,
  activityView,
  autoscalingArn,
  checkDimensionNeedsResource,
  clampFleet,
  fleetNameOf,
  requireTarget,
  scalingPage,
  targetKey,
  onTargets,
  targetsOf,
  targetWords,
  validation,
  objectNotFound,
  type ScalableTargetRecord,
} from "./scaling-common.js";
import { dropScheduledActionsOf, scheduleOps } from "./scaling-schedule.js";
import { OPERATIONS as SCALING_OPERATIONS, SHAPES as SCALING_SHAPES } from "./scaling-model.gen.js";
import { dict } from "./store.js";
import { validateAgainst } from "./validate.js";

export const SCALING_TARGET_PREFIX = "AnyScaleFrontendService.";

/** Model validation of this service's requests (validate.ts against scaling-model.gen.ts). */
export function validateScaling(operation: string, input: Record<string, unknown>): ApiError | undefined {
  return validateAgainst({ operations: SCALING_OPERATIONS, shapes: SCALING_SHAPES }, operation, input);
}

/** The errors an operation's model lists (what the server lets a handler answer). */
export function scalingErrors(operation: string): readonly string[] | undefined {
  return SCALING_OPERATIONS[operation]?.errors;
}

/** Application Auto Scaling's quotas (service quotas page defaults). */
const POLICIES_PER_TARGET = 50;
const TAGS_PER_TARGET = 50;

/** A stored scaling policy (collection `scalingPolicies`, key target key + `|` + name). */
interface PolicyRecord {
  target: string;
  PolicyName: string;
  PolicyARN: string;
  PolicyType: string;
  StepScalingPolicyConfiguration?: unknown;
  TargetTrackingScalingPolicyConfiguration?: unknown;
  Alarms: { AlarmName: string; AlarmARN: string }[];
  createdAt: number;
}

function policiesOf(ctx: OpContext) {
  return ctx.store.table<PolicyRecord>(ctx.region, "scalingPolicies");
}

function serviceLinkedRole(ctx: OpContext): string {
  return `arn:aws:iam::${ctx.account}:role/aws-service-role/appstream.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_AppStreamFleet`;
}

/**
 * The AppStream fleet a RegisterScalableTarget names (SCALE-02, SCALE-03): only the appstream namespace,
 * `fleet/NAME` of an existing non-Elastic fleet, and the fleet's one dimension.
 */
function requireScalableFleet(ctx: OpContext, input: RegisterScalableTargetRequest): FleetRecord {
  const { ServiceNamespace: ns, ResourceId: id = "", ScalableDimension: dim } = input;
  if (ns !== APPSTREAM_NAMESPACE) throw validation(`Unsupported service namespace: ${String(ns)}. This emulator scales only appstream fleets.`);
  const name = fleetNameOf(id);
  if (name === undefined) throw validation(`Unsupported resource ID for service namespace appstream: ${id}. Expected fleet/<fleet name>.`);
  if (dim !== APPSTREAM_DIMENSION) throw validation(`Unsupported scalable dimension for service namespace appstream: ${String(dim)}`);
  const fleet = ctx.store.table<FleetRecord>(ctx.region, "fleets")[name];
  if (!fleet) throw validation(`AppStream fleet doesn't exist: ${id}`);
  if (fleet.attrs.FleetType === "ELASTIC") throw validation(`AppStream fleet ${name} is an Elastic fleet, which has no desired capacity to scale.`);
  return fleet;
}

function checkRange(min: number, max: number): void {
  if (min < 0) throw validation("Minimum capacity cannot be less than 0");
  if (min > max) throw validation("Minimum capacity cannot be greater than maximum capacity");
}

const registerScalableTarget = op<RegisterScalableTargetRequest>((ctx, input) => {
  requireScalableFleet(ctx, input);
  checkTagKeys(input.Tags);
  const key = targetKey(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!);
  const existing = targetsOf(ctx)[key];
  const min = input.MinCapacity ?? existing?.MinCapacity;
  const max = input.MaxCapacity ?? existing?.MaxCapacity;
  if (min === undefined || max === undefined) {
    throw validation("MinCapacity and MaxCapacity are required when you register a new scalable target.");
  }
  checkRange(min, max);
  const suspended = { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false };
  const target: ScalableTargetRecord = existing ?? {
    ServiceNamespace: input.ServiceNamespace!,
    ResourceId: input.ResourceId!,
    ScalableDimension: input.ScalableDimension!,
    MinCapacity: min,
    MaxCapacity: max,
    RoleARN: input.RoleARN ?? serviceLinkedRole(ctx),
    SuspendedState: suspended,
    ScalableTargetARN: `arn:aws:application-autoscaling:${ctx.region}:${ctx.account}:scalable-target/${randomBytes(18).toString("hex")}`,
    createdAt: ctx.now,
    tags: dict(Object.entries(input.Tags ?? {})),
  };
  if (!existing && Object.keys(target.tags).length > TAGS_PER_TARGET) throw tooManyTags(target.ScalableTargetARN);
  target.MinCapacity = min;
  target.MaxCapacity = max;
  if (input.RoleARN !== undefined) target.RoleARN = input.RoleARN;
  for (const k of Object.keys(suspended) as (keyof typeof suspended)[]) {
    const v = input.SuspendedState?.[k];
    if (v !== undefined) target.SuspendedState[k] = v;
  }
  targetsOf(ctx)[key] = target;
  clampFleet(ctx, target, `minimum capacity was set to ${min} and maximum capacity was set to ${max} by RegisterScalableTarget`);
  return { ScalableTargetARN: target.ScalableTargetARN };
});

const deregisterScalableTarget = op<DeregisterScalableTargetRequest>((ctx, input) => {
  const target = requireTarget(ctx, input);
  const key = targetKey(target.ServiceNamespace, target.ResourceId, target.ScalableDimension);
  const policies = policiesOf(ctx);
  for (const [k, p] of Object.entries(policies)) if (p.target === key) delete policies[k];
  dropScheduledActionsOf(ctx, key);
  delete targetsOf(ctx)[key];
  return {};
});

function targetView(t: ScalableTargetRecord): Record<string, unknown> {
  const { createdAt, tags: _tags, ...rest } = t;
  return { ...rest, SuspendedState: { ...t.SuspendedState }, CreationTime: epoch(createdAt) };
}

const describeScalableTargets = op<DescribeScalableTargetsRequest>((ctx, input) => {
  if (input.ScalableDimension !== undefined && !input.ResourceIds?.length) {
    throw validation("If you specify a scalable dimension, you must also specify a resource ID.");
  }
  const ids = input.ResourceIds?.length ? new Set(input.ResourceIds) : undefined;
  const items = Object.values(targetsOf(ctx))
    .filter((t) => t.ServiceNamespace === input.ServiceNamespace)
    .filter((t) => (!ids || ids.has(t.ResourceId)) && (input.ScalableDimension === undefined || t.ScalableDimension === input.ScalableDimension))
    .sort((a, b) => a.createdAt - b.createdAt || (a.ResourceId < b.ResourceId ? -1 : 1));
  const scope = `DescribeScalableTargets|${JSON.stringify([input.ServiceNamespace, input.ResourceIds, input.ScalableDimension])}`;
  const page = scalingPage(items, scope, input, 50);
  return { ScalableTargets: page.items.map(targetView), NextToken: page.NextToken };
});

/** The two CloudWatch alarms AWS creates for a target tracking policy (named as AWS names them). */
function trackingAlarms(ctx: OpContext, resourceId: string): PolicyRecord["Alarms"] {
  const id = randomUUID();
  return ["AlarmHigh", "AlarmLow"].map((kind) => {
    const name = `TargetTracking-${resourceId}-${kind}-${id}`;
    return { AlarmName: name, AlarmARN: `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${name}` };
  });
}

const putScalingPolicy = op<PutScalingPolicyRequest>((ctx, input) => {
  const target = requireTarget(ctx, input);
  const tKey = targetKey(target.ServiceNamespace, target.ResourceId, target.ScalableDimension);
  const key = `${tKey}|${input.PolicyName}`;
  const existing = policiesOf(ctx)[key];
  const type = input.PolicyType ?? existing?.PolicyType;
  if (type === undefined) throw validation("PolicyType is required when you create a scaling policy.");
  if (type === "PredictiveScaling") throw validation("PredictiveScaling policies are only supported for Amazon ECS.");
  const step = input.StepScalingPolicyConfiguration;
  const tracking = input.TargetTrackingScalingPolicyConfiguration;
  if (input.PredictiveScalingPolicyConfiguration) throw validation("PredictiveScalingPolicyConfiguration is only supported for Amazon ECS.");
  if (type === "StepScaling" && (tracking || !step)) {
    throw validation("A StepScaling policy needs a StepScalingPolicyConfiguration and no TargetTrackingScalingPolicyConfiguration.");
  }
  if (type === "TargetTrackingScaling") {
    if (step || !tracking) throw validation("A TargetTrackingScaling policy needs a TargetTrackingScalingPolicyConfiguration and no StepScalingPolicyConfiguration.");
    const predefined = tracking.PredefinedMetricSpecification?.PredefinedMetricType;
    if (predefined !== undefined && predefined !== "AppStreamAverageCapacityUtilization") {
      throw validation(`Predefined metric type ${predefined} is not supported for scalable dimension ${APPSTREAM_DIMENSION}.`);
    }
    if (!tracking.PredefinedMetricSpecification && !tracking.CustomizedMetricSpecification) {
      throw validation("A TargetTrackingScalingPolicyConfiguration needs a PredefinedMetricSpecification or a CustomizedMetricSpecification.");
    }
  }
  if (!existing && Object.values(policiesOf(ctx)).filter((p) => p.target === tKey).length >= POLICIES_PER_TARGET) {
    throw new ApiError("LimitExceededException", `A scalable target can have at most ${POLICIES_PER_TARGET} scaling policies.`);
  }
  const keepAlarms = existing && existing.PolicyType === type ? existing.Alarms : undefined;
  const rec: PolicyRecord = {
    target: tKey,
    PolicyName: input.PolicyName!,
    PolicyARN: existing?.PolicyARN ?? autoscalingArn(ctx, "scalingPolicy", target, input.PolicyName!),
    PolicyType: type,
    ...(step ? { StepScalingPolicyConfiguration: step } : {}),
    ...(tracking ? { TargetTrackingScalingPolicyConfiguration: tracking } : {}),
    Alarms: keepAlarms ?? (type === "TargetTrackingScaling" ? trackingAlarms(ctx, target.ResourceId) : []),
    createdAt: existing?.createdAt ?? ctx.now,
  };
  policiesOf(ctx)[key] = rec;
  return { PolicyARN: rec.PolicyARN, Alarms: rec.Alarms };
});

const deleteScalingPolicy = op<DeleteScalingPolicyRequest>((ctx, input) => {
  const key = `${targetKey(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!)}|${input.PolicyName}`;
  if (!policiesOf(ctx)[key]) {
    throw objectNotFound(`No scaling policy found for ${targetWords(input.ServiceNamespace!, input.ResourceId!, input.ScalableDimension!)}, policy name: ${input.PolicyName}`);
  }
  delete policiesOf(ctx)[key];
  return {};
});

const describeScalingPolicies = op<DescribeScalingPoliciesRequest>((ctx, input) => {
  checkDimensionNeedsResource(input);
  const items = onTargets(ctx, Object.values(policiesOf(ctx)), input, input.PolicyNames, { name: (p) => p.PolicyName, arn: (p) => p.PolicyARN });
  const scope = `DescribeScalingPolicies|${JSON.stringify([input.ServiceNamespace, input.ResourceId, input.ScalableDimension, input.PolicyNames])}`;
  const page = scalingPage(items, scope, input, 10);
  return {
    ScalingPolicies: page.items.map(({ r: p, t }) => ({
      PolicyARN: p.PolicyARN,
      PolicyName: p.PolicyName,
      ServiceNamespace: t.ServiceNamespace,
      ResourceId: t.ResourceId,
      ScalableDimension: t.ScalableDimension,
      PolicyType: p.PolicyType,
      StepScalingPolicyConfiguration: p.StepScalingPolicyConfiguration,
      TargetTrackingScalingPolicyConfiguration: p.TargetTrackingScalingPolicyConfiguration,
      Alarms: p.Alarms,
      CreationTime: epoch(p.createdAt),
    })),
    NextToken: page.NextToken,
  };
});

const describeScalingActivities = op<DescribeScalingActivitiesRequest>((ctx, input) => {
  checkDimensionNeedsResource(input);
  const items = Object.values(activitiesOf(ctx))
    .filter((a) => a.ServiceNamespace === input.ServiceNamespace)
    .filter((a) => (input.ResourceId === undefined || a.ResourceId === input.ResourceId) && (input.ScalableDimension === undefined || a.ScalableDimension === input.ScalableDimension))
    .sort((a, b) => b.StartTime - a.StartTime || b.seq - a.seq);
  const scope = `DescribeScalingActivities|${JSON.stringify([input.ServiceNamespace, input.ResourceId, input.ScalableDimension])}`;
  const page = scalingPage(items, scope, input, 50);
  return { ScalingActivities: page.items.map(activityView), NextToken: page.NextToken };
});

const getPredictiveScalingForecast = op<{ ServiceNamespace?: string }>((_ctx, input) => {
  throw validation(`Predictive scaling is not supported for service namespace ${String(input.ServiceNamespace)}.`);
});

// ---------------------------------------------------------------------------------------------------
// Tags: only scalable targets carry them.

function tooManyTags(arn: string): ApiError {
  return new ApiError("TooManyTagsException", `A scalable target can have at most ${TAGS_PER_TARGET} tags.`, 400, { ResourceName: arn });
}

/** The `aws:` prefix is reserved for AWS's own tags. */
function checkTagKeys(tags: Record<string, string> | undefined): void {
  const reserved = Object.keys(tags ?? {}).find((k) => k.toLowerCase().startsWith("aws:"));
  if (reserved !== undefined) throw validation(`Tag keys starting with aws: are reserved for use by AWS: ${reserved}`);
}

function targetByArn(ctx: OpContext, arn: string | undefined): ScalableTargetRecord {
  const t = Object.values(targetsOf(ctx)).find((x) => x.ScalableTargetARN === arn);
  if (!t) throw new ApiError("ResourceNotFoundException", `Scalable target not found: ${String(arn)}`, 400, { ResourceName: arn });
  return t;
}

const tagResource = op<TagResourceRequest>((ctx, input) => {
  const t = targetByArn(ctx, input.ResourceARN);
  checkTagKeys(input.Tags);
  const merged = dict(Object.entries({ ...t.tags, ...input.Tags }));
  if (Object.keys(merged).length > TAGS_PER_TARGET) throw tooManyTags(t.ScalableTargetARN);
  t.tags = merged;
  return {};
});

const untagResource = op<UntagResourceRequest>((ctx, input) => {
  const t = targetByArn(ctx, input.ResourceARN);
  for (const k of input.TagKeys ?? []) delete t.tags[k];
  return {};
});

const listTagsForResource = op<ListTagsForResourceRequest>((ctx, input) => ({ Tags: dict(Object.entries(targetByArn(ctx, input.ResourceARN).tags)) }));

/** Every operation of the model. */
export const scalingOps: Record<string, OpHandler> = {
  RegisterScalableTarget: registerScalableTarget,
  DeregisterScalableTarget: deregisterScalableTarget,
  DescribeScalableTargets: describeScalableTargets,
  PutScalingPolicy: putScalingPolicy,
  DeleteScalingPolicy: deleteScalingPolicy,
  DescribeScalingPolicies: describeScalingPolicies,
  DescribeScalingActivities: describeScalingActivities,
  GetPredictiveScalingForecast: getPredictiveScalingForecast,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  ...scheduleOps,
};
