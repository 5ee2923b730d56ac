/**
 * A fleet's `scaling` as the manifest writes it: Application Auto Scaling's scalable target of the fleet
 * (namespace `appstream`, resource `fleet/NAME`, dimension `appstream:fleet:DesiredCapacity`), its
 * target-tracking policies and its scheduled actions. The constraints are the Application Auto Scaling
 * model's (reference/botocore-more/application-autoscaling); the rules below add what the API refuses
 * only at the call (min ≤ max, the expressions, the time zones) and what appstreamctl does not manage
 * (step scaling needs CloudWatch alarms, which appstreamctl does not create).
 *
 * Capacity units: the scalable dimension is the fleet's desired capacity, which for a multi-session fleet
 * (maxSessionsPerInstance) is DesiredSessions, user sessions, not instances (AppStream developer guide,
 * "Fleet Auto Scaling": "for multi-session fleets … capacity is in user sessions"; emulator SCALE-04).
 */
import { isValidTimeZone, parseScheduleExpression } from "../shared/schedule-expr.js";
import type { RuleViolation } from "./contract.js";
import { bool, int, list, obj, oneOfEnum, str, type JsonSchema } from "./schema-dsl.js";

/** The AppStream fleet metrics a target-tracking policy may follow. */
export const SCALING_METRICS = ["CapacityUtilization", "AvailableCapacity", "InsufficientCapacityError"] as const;
export type ScalingMetric = (typeof SCALING_METRICS)[number];

export interface TargetTracking {
  metric: ScalingMetric;
  target: number;
  scaleInCooldown: number;
  scaleOutCooldown: number;
  disableScaleIn?: boolean;
}

export interface PolicyDecl {
  name: string;
  targetTracking?: TargetTracking;
  /** Accepted by the schema only to be refused by a rule with a clear reason. */
  stepScaling?: Record<string, unknown>;
}

export interface ScheduledDecl {
  name: string;
  schedule: string;
  timezone?: string;
  min?: number;
  max?: number;
  start?: string;
  end?: string;
}

export interface ScalingDecl {
  min: number;
  max: number;
  policies?: PolicyDecl[];
  scheduled?: ScheduledDecl[];
}

/** `scaling: none` removes the fleet's scalable target, whoever made it. */
export const SCALING_NONE = "none";

/** Model limits: 50 policies and 200 scheduled actions per target (emulator SCALE-07, SCALE-08). */
const MAX_POLICIES = 50;
const MAX_SCHEDULED = 200;
/** Model `PolicyName`: `\p{Print}+`, 1–256. */
const POLICY_NAME = "^[\\x20-\\x7E]+$";
/** Model `ScheduledActionName`: no leading/trailing space, no control characters, no `:`, `/` or `|`. */
const ACTION_NAME = "^(?! )[^\\u0000-\\u001f\\u007f-\\u009f:/|]+(?<! )$";
/** Model `Cooldown` is a bare Integer; the service documents no upper bound, a negative one is meaningless. */
const COOLDOWN = int(0, 2_147_483_647, "Seconds");

const trackingSchema = obj(
  {
    metric: oneOfEnum(
      SCALING_METRICS,
      "CapacityUtilization (the predefined AppStreamAverageCapacityUtilization, a percent), or AvailableCapacity / " +
        "InsufficientCapacityError (the AWS/AppStream CloudWatch metrics of the fleet, as a customized metric; on a multi-session " +
        "fleet AvailableCapacity is its AvailableUserSessionCapacity)",
    ),
    target: { type: "number", description: "Target value of the metric (a percent, 1–100, for CapacityUtilization)" },
    scaleInCooldown: { ...COOLDOWN, description: "Seconds after a scale-in before another scale-in" },
    scaleOutCooldown: { ...COOLDOWN, description: "Seconds after a scale-out before another scale-out" },
    disableScaleIn: bool("Never remove capacity for this policy (default false)"),
  },
  ["metric", "target", "scaleInCooldown", "scaleOutCooldown"],
  "Target tracking on an AppStream fleet metric",
);

const policySchema = obj(
  {
    name: str({ min: 1, max: 256, pattern: POLICY_NAME, description: "Policy name, unique per fleet (a new name is a new policy)" }),
    targetTracking: trackingSchema,
    stepScaling: { type: "object", description: "Not supported: appstreamctl does not manage CloudWatch alarms (refused by validate)" },
  },
  ["name"],
);

const scheduledSchema = obj(
  {
    name: str({ min: 1, max: 256, pattern: ACTION_NAME, description: "Scheduled action name, unique per fleet" }),
    schedule: str({ min: 1, max: 1600, description: "cron(min hour day-of-month month day-of-week year), rate(N unit) or at(yyyy-mm-ddThh:mm:ss)" }),
    timezone: str({ min: 1, max: 1600, description: "IANA time zone of the schedule, e.g. Europe/Berlin (default UTC)" }),
    min: int(0, 2_147_483_647, "Minimum capacity from then on"),
    max: int(0, 2_147_483_647, "Maximum capacity from then on"),
    start: str({ description: "ISO 8601 instant before which the action does not run" }),
    end: str({ description: "ISO 8601 instant after which the action does not run" }),
  },
  ["name", "schedule"],
);

/** The schema of a fleet's `scaling` field. */
export const scalingSchema: JsonSchema = {
  description:
    "Application Auto Scaling of the fleet's desired capacity (instances; user sessions on a multi-session fleet), " +
    "address Scaling/FLEET; with it, computeCapacity is the initial capacity only. Left out, a scaling target made " +
    "elsewhere is left alone (reported as unmanaged); `none` removes it",
  oneOf: [
    { const: SCALING_NONE, description: "Remove the fleet's scalable target, its policies and scheduled actions" },
    obj(
      {
        min: int(0, 2_147_483_647, "Minimum capacity"),
        max: int(0, 2_147_483_647, "Maximum capacity"),
        policies: list(policySchema, { max: MAX_POLICIES, description: "Target-tracking policies (every other policy of the fleet is deleted)" }),
        scheduled: list(scheduledSchema, { max: MAX_SCHEDULED, description: "Scheduled actions (every other one of the fleet is deleted)" }),
      },
      ["min", "max"],
    ),
  ],
};

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const n of names) (seen.has(n) ? out : seen).add(n);
  return out;
}

function policyRules(p: PolicyDecl, path: (string | number)[]): RuleViolation[] {
  if (p.stepScaling !== undefined) {
    return [{
      code: "rule.scaling-unsupported", path: [...path, "stepScaling"],
      message: `policy ${p.name}: step scaling is not supported: appstreamctl does not manage CloudWatch alarms`,
      hint: "use targetTracking, or manage this fleet's scaling elsewhere and leave `scaling` out",
    }];
  }
  const t = p.targetTracking;
  if (!t) return [{ code: "rule.scaling", path, message: `policy ${p.name} needs targetTracking` }];
  if (t.metric === "CapacityUtilization" && !(t.target > 0 && t.target <= 100)) {
    return [{ code: "rule.scaling", path: [...path, "targetTracking", "target"], message: `CapacityUtilization is a percent: target ${t.target} is not in (0, 100]` }];
  }
  if (t.metric !== "CapacityUtilization" && t.target < 0) {
    return [{ code: "rule.scaling", path: [...path, "targetTracking", "target"], message: `${t.metric} counts capacity: target ${t.target} cannot be negative` }];
  }
  return [];
}

function scheduledRules(a: ScheduledDecl, path: (string | number)[]): RuleViolation[] {
  const out: RuleViolation[] = [];
  const parsed = parseScheduleExpression(a.schedule);
  if ("error" in parsed) out.push({ code: "rule.scaling", path: [...path, "schedule"], message: `scheduled action ${a.name}: ${parsed.error}` });
  if (a.timezone !== undefined && !isValidTimeZone(a.timezone)) {
    out.push({ code: "rule.scaling", path: [...path, "timezone"], message: `scheduled action ${a.name}: unknown time zone ${a.timezone} (an IANA name, e.g. Europe/Berlin)` });
  }
  if (a.min === undefined && a.max === undefined) {
    out.push({ code: "rule.scaling", path, message: `scheduled action ${a.name} sets neither min nor max` });
  } else if (a.min !== undefined && a.max !== undefined && a.min > a.max) {
    out.push({ code: "rule.scaling", path: [...path, "min"], message: `scheduled action ${a.name}: min ${a.min} is greater than max ${a.max}` });
  }
  for (const f of ["start", "end"] as const) {
    const v = a[f];
    if (v !== undefined && (!TIME.test(v) || Number.isNaN(Date.parse(v)))) {
      out.push({ code: "rule.scaling", path: [...path, f], message: `${f} ${v} is not an ISO 8601 instant with an offset (e.g. 2027-01-04T07:00:00Z)` });
    }
  }
  if (a.start && a.end && Date.parse(a.start) >= Date.parse(a.end)) {
    out.push({ code: "rule.scaling", path: [...path, "end"], message: `scheduled action ${a.name}: end is not after start` });
  }
  return out;
}

/** The fleet facts the rules weigh `scaling` against. */
export interface ScaledFleet {
  fleetType?: string;
  maxSessionsPerInstance?: number;
  computeCapacity?: { desiredInstances?: number; desiredSessions?: number };
}

/** The rules of a fleet's `scaling` (paths from the fleet entry). */
export function scalingRules(scaling: ScalingDecl | typeof SCALING_NONE | undefined, fleet: ScaledFleet): RuleViolation[] {
  if (scaling === undefined || scaling === SCALING_NONE) return [];
  const out: RuleViolation[] = [];
  if (fleet.fleetType === "ELASTIC") {
    return [{ code: "rule.scaling", path: ["scaling"], message: "ELASTIC fleets have no desired capacity to scale (AppStream scales them up to maxConcurrentSessions)" }];
  }
  if (scaling.min > scaling.max) out.push({ code: "rule.scaling", path: ["scaling", "min"], message: `min ${scaling.min} is greater than max ${scaling.max}` });
  const policies = scaling.policies ?? [];
  const scheduled = scaling.scheduled ?? [];
  for (const d of duplicates(policies.map((p) => p.name))) out.push({ code: "rule.scaling", path: ["scaling", "policies"], message: `policy name ${d} is used twice` });
  for (const d of duplicates(scheduled.map((a) => a.name))) out.push({ code: "rule.scaling", path: ["scaling", "scheduled"], message: `scheduled action name ${d} is used twice` });
  policies.forEach((p, i) => out.push(...policyRules(p, ["scaling", "policies", i])));
  scheduled.forEach((a, i) => out.push(...scheduledRules(a, ["scaling", "scheduled", i])));
  const initial = capacityOf(fleet);
  if (initial !== undefined && (initial < scaling.min || initial > scaling.max)) {
    out.push({
      code: "rule.scaling", severity: "warning", path: ["computeCapacity"],
      message: `the initial capacity ${initial} is outside scaling ${scaling.min}–${scaling.max}: registering the target moves it into that range`,
    });
  }
  return out;
}

/** The declared capacity in the scaled unit: sessions on a multi-session fleet, instances otherwise. */
export function capacityOf(fleet: ScaledFleet): number | undefined {
  return fleet.maxSessionsPerInstance !== undefined ? fleet.computeCapacity?.desiredSessions : fleet.computeCapacity?.desiredInstances;
}
