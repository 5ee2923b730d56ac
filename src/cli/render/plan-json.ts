/**
 * The versioned plan document (DESIGN.md §2): what `plan -o json` prints and `plan --out` saves, and the
 * parser `apply PLANFILE` reads it back with. Keys are written in one fixed order (free-form values
 * with sorted keys) so the same plan always serialises to the same bytes and diffs cleanly.
 */
import type { KindName } from "../../model/resource.js";
import { assertKnownOp, KIND_NAMES } from "../../kinds/index.js";
import { AppError } from "../../core/errors.js";
import {
  PLAN_FORMAT_VERSION,
  type Actions,
  type Disruption,
  type FieldDiff,
  type FieldWhy,
  type Plan,
  type PlanRead,
  type ResourceChange,
  type Restore,
  type RestoreStep,
  type Step,
} from "../../core/plan-types.js";
import { sortKeys } from "./plan-format.js";
import { sanitizePlan } from "./plan-secrets.js";

/** Options of the JSON renderer. */
export interface PlanJsonOptions {
  /** Known secret values (resolved passwords): rendering throws if one appears anywhere. */
  secrets?: readonly string[];
}

/**
 * The plan as pretty-printed JSON with a trailing newline. Sensitive fields are masked and the
 * secrets checked first (see {@link sanitizePlan}).
 */
export function renderPlanJson(plan: Plan, opts: PlanJsonOptions = {}): string {
  return `${JSON.stringify(canonicalPlan(sanitizePlan(plan, opts.secrets)), null, 2)}\n`;
}

/**
 * Reads a saved plan, checking its format version and the shape of every part `apply` relies on.
 * Unknown keys are dropped so they cannot reach the executor. Throws AppError `plan.format`.
 */
export function parsePlanFile(text: string): Plan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw formatError(`the plan file is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const root = record(doc, "plan");
  if (root.formatVersion !== PLAN_FORMAT_VERSION) {
    throw formatError(
      `plan file format version ${JSON.stringify(root.formatVersion)} is not supported; ` +
        `this appstreamctl reads version ${PLAN_FORMAT_VERSION} (run plan again with this version)`,
    );
  }
  const target = record(root.target, "target");
  const summary = record(root.summary, "summary");
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: str(root.createdAt, "createdAt"),
    set: str(root.set, "set"),
    target: {
      ...(target.account === undefined ? {} : { account: str(target.account, "target.account") }),
      region: str(target.region, "target.region"),
      ...(target.regionSource === undefined ? {} : { regionSource: str(target.regionSource, "target.regionSource") }),
      ...(target.endpoint === undefined ? {} : { endpoint: str(target.endpoint, "target.endpoint") }),
      ...(target.endpointSource === undefined ? {} : { endpointSource: str(target.endpointSource, "target.endpointSource") }),
      ...(target.profile === undefined ? {} : { profile: str(target.profile, "target.profile") }),
    },
    summary: {
      add: count(summary.add, "summary.add"),
      change: count(summary.change, "summary.change"),
      destroy: count(summary.destroy, "summary.destroy"),
      disruptive: count(summary.disruptive, "summary.disruptive"),
    },
    resourceChanges: list(root.resourceChanges, "resourceChanges", parseChange),
    steps: list(root.steps, "steps", parseStep),
    fingerprints: parseFingerprints(root.fingerprints),
    reads: list(root.reads, "reads", parseRead),
    warnings: list(root.warnings, "warnings", str),
  };
  checkSteps(plan.steps);
  return canonicalPlan(plan);
}

/** A copy of the plan with keys in the documented order; optional members only when present. */
function canonicalPlan(plan: Plan): Plan {
  return {
    formatVersion: plan.formatVersion,
    createdAt: plan.createdAt,
    set: plan.set,
    target: {
      ...(plan.target.account === undefined ? {} : { account: plan.target.account }),
      region: plan.target.region,
      ...(plan.target.regionSource === undefined ? {} : { regionSource: plan.target.regionSource }),
      ...(plan.target.endpoint === undefined ? {} : { endpoint: plan.target.endpoint }),
      ...(plan.target.endpointSource === undefined ? {} : { endpointSource: plan.target.endpointSource }),
      ...(plan.target.profile === undefined ? {} : { profile: plan.target.profile }),
    },
    summary: {
      add: plan.summary.add,
      change: plan.summary.change,
      destroy: plan.summary.destroy,
      disruptive: plan.summary.disruptive,
    },
    resourceChanges: plan.resourceChanges.map((rc) => ({
      address: rc.address,
      kind: rc.kind,
      name: rc.name,
      actions: [...rc.actions] as Actions,
      disruption: rc.disruption,
      // Explicit for policy tools: a delete has disruption "none" (no fleet restart) but removes something.
      destructive: rc.actions[0] === "delete",
      reason: rc.reason,
      ...(rc.activeSessions === undefined ? {} : { activeSessions: rc.activeSessions }),
      diff: rc.diff.map((d) => ({
        path: d.path,
        ...(d.before === undefined ? {} : { before: sortKeys(d.before) }),
        ...(d.after === undefined ? {} : { after: sortKeys(d.after) }),
        sensitive: d.sensitive,
        why: d.why,
      })),
      ...(rc.warnings === undefined ? {} : { warnings: [...rc.warnings] }),
    })),
    steps: plan.steps.map((s) => ({
      id: s.id,
      address: s.address,
      op: s.op,
      params: sortKeys(s.params) as Record<string, unknown>,
      dependsOn: [...s.dependsOn],
      ...(s.restore === undefined ? {} : { restore: canonicalRestore(s.restore) }),
    })),
    fingerprints: sortKeys(plan.fingerprints) as Record<string, string>,
    reads: plan.reads.map((r) => ({ address: r.address, description: r.description, result: r.result })),
    warnings: [...plan.warnings],
  };
}

function canonicalRestore(r: Restore): Restore {
  return {
    guards: [...r.guards],
    steps: r.steps.map((x) => ({
      id: x.id,
      op: x.op,
      params: sortKeys(x.params) as Record<string, unknown>,
      ...(x.ifDone === undefined ? {} : { ifDone: x.ifDone }),
      ...(x.optional === undefined ? {} : { optional: x.optional }),
    })),
    leftIn: r.leftIn,
    manual: r.manual,
  };
}

// Runtime copies of the plan unions. `satisfies Record<Union, true>` makes a member added to
// plan-types.ts without being added here a compile error, so the parser never lags the type.
/** The kind names a plan may hold, in creation order: the registry's. */
export const KINDS: readonly KindName[] = KIND_NAMES;
export const DISRUPTIONS = Object.keys({ none: true, "fleet-restart": true, replace: true } satisfies Record<
  Disruption,
  true
>) as Disruption[];
export const WHYS = Object.keys({
  live: true,
  "requires-stop": true,
  replace: true,
  "write-only": true,
  clear: true,
  state: true,
  tags: true,
  association: true,
  selector: true,
} satisfies Record<FieldWhy, true>) as FieldWhy[];
export const ACTIONS: readonly Actions[] = [["no-op"], ["create"], ["update"], ["delete"], ["delete", "create"], ["read"]];

function parseChange(value: unknown, path: string): ResourceChange {
  const o = record(value, path);
  const kind = oneOf(o.kind, KINDS, `${path}.kind`);
  const address = str(o.address, `${path}.address`);
  if (!address.startsWith(`${kind}/`)) throw formatError(`${path}.address ${JSON.stringify(address)} is not a ${kind} address`);
  const rc: ResourceChange = {
    address,
    kind,
    name: str(o.name, `${path}.name`),
    actions: parseActions(o.actions, `${path}.actions`),
    disruption: oneOf(o.disruption, DISRUPTIONS, `${path}.disruption`),
    reason: str(o.reason, `${path}.reason`),
    diff: list(o.diff, `${path}.diff`, parseDiff),
  };
  if (o.activeSessions !== undefined) rc.activeSessions = count(o.activeSessions, `${path}.activeSessions`);
  if (o.warnings !== undefined) rc.warnings = list(o.warnings, `${path}.warnings`, str);
  return rc;
}

function parseActions(value: unknown, path: string): Actions {
  const found = Array.isArray(value)
    ? ACTIONS.find((a) => a.length === value.length && a.every((x, i) => x === value[i]))
    : undefined;
  if (found === undefined) {
    throw formatError(`${path} must be one of ${ACTIONS.map((a) => JSON.stringify(a)).join(", ")}; got ${JSON.stringify(value)}`);
  }
  return [...found] as Actions;
}

function parseDiff(value: unknown, path: string): FieldDiff {
  const o = record(value, path);
  if (typeof o.sensitive !== "boolean") throw formatError(`${path}.sensitive must be true or false`);
  const diff: FieldDiff = {
    path: str(o.path, `${path}.path`),
    sensitive: o.sensitive,
    why: oneOf(o.why, WHYS, `${path}.why`),
  };
  if ("before" in o) diff.before = o.before;
  if ("after" in o) diff.after = o.after;
  return diff;
}

function parseStep(value: unknown, path: string): Step {
  const o = record(value, path);
  return {
    id: str(o.id, `${path}.id`),
    address: str(o.address, `${path}.address`),
    op: knownOp(o.op, `${path}.op`),
    params: record(o.params, `${path}.params`),
    dependsOn: list(o.dependsOn, `${path}.dependsOn`, str),
    ...(o.restore === undefined ? {} : { restore: parseRestore(o.restore, `${path}.restore`) }),
  };
}

/** An op this version can run: `plan.unknown-op` otherwise, before anything is sent. */
function knownOp(value: unknown, path: string): string {
  const op = str(value, path);
  assertKnownOp(op, path);
  return op;
}

function parseRestore(value: unknown, path: string): Restore {
  const o = record(value, path);
  return {
    guards: list(o.guards, `${path}.guards`, str),
    steps: list(o.steps, `${path}.steps`, (v, p): RestoreStep => {
      const x = record(v, p);
      if (x.optional !== undefined && typeof x.optional !== "boolean") throw formatError(`${p}.optional must be true or false`);
      return {
        id: str(x.id, `${p}.id`),
        op: knownOp(x.op, `${p}.op`),
        params: record(x.params, `${p}.params`),
        ...(x.ifDone === undefined ? {} : { ifDone: str(x.ifDone, `${p}.ifDone`) }),
        ...(x.optional === undefined ? {} : { optional: x.optional as boolean }),
      };
    }),
    leftIn: str(o.leftIn, `${path}.leftIn`),
    manual: str(o.manual, `${path}.manual`),
  };
}

function parseRead(value: unknown, path: string): PlanRead {
  const o = record(value, path);
  return {
    address: str(o.address, `${path}.address`),
    description: str(o.description, `${path}.description`),
    result: str(o.result, `${path}.result`),
  };
}

function parseFingerprints(value: unknown): Record<string, string> {
  const o = record(value, "fingerprints");
  const out: Record<string, string> = {};
  for (const [address, fp] of Object.entries(o)) out[address] = str(fp, `fingerprints[${JSON.stringify(address)}]`);
  return out;
}

/** The executor follows `dependsOn` by id: ids must be unique and every dependency must exist. */
function checkSteps(steps: readonly Step[]): void {
  const ids = new Set<string>();
  for (const [i, step] of steps.entries()) {
    if (ids.has(step.id)) throw formatError(`steps[${i}].id ${JSON.stringify(step.id)} is used twice`);
    ids.add(step.id);
  }
  for (const [i, step] of steps.entries()) {
    for (const dep of step.dependsOn) {
      if (!ids.has(dep)) throw formatError(`steps[${i}].dependsOn names unknown step ${JSON.stringify(dep)}`);
    }
    for (const g of [...(step.restore?.guards ?? []), ...(step.restore?.steps ?? []).flatMap((r) => (r.ifDone ? [r.ifDone] : []))]) {
      if (!ids.has(g)) throw formatError(`steps[${i}].restore names unknown step ${JSON.stringify(g)}`);
    }
  }
}

function formatError(message: string): AppError {
  return new AppError("plan.format", message, { source: "user" });
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw formatError(`${path} must be an object; got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function str(value: unknown, path: string): string {
  if (typeof value !== "string") throw formatError(`${path} must be a string; got ${describe(value)}`);
  return value;
}

function count(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw formatError(`${path} must be a whole number ≥ 0; got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw formatError(`${path} must be one of ${allowed.join(", ")}; got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return value as T;
}

function list<T>(value: unknown, path: string, item: (v: unknown, path: string) => T): T[] {
  if (!Array.isArray(value)) throw formatError(`${path} must be an array; got ${describe(value)}`);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}
