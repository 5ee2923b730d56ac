/**
 * Fleet operations (reference §3): CreateFleet, DescribeFleets, UpdateFleet, StartFleet, StopFleet,
 * DeleteFleet. Rules are numbered FLEET-xx in SPEC.md; the pure parts live in fleet-rules.ts.
 */
import type {
  CreateFleetRequest,
  DeleteFleetRequest,
  DescribeFleetsRequest,
  StartFleetRequest,
  StopFleetRequest,
  UpdateFleetRequest,
} from "@aws-sdk/client-appstream";
import { assertNever } from "../core/errors.js";
import { applicationsOfFleet } from "./application-links.js";
import { stacksOfFleet } from "./associations.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { ApiError, alreadyExists, badCombination, inUse, limitExceeded, notFound } from "./errors.js";
import {
  FLEET_DEFAULTS,
  RUNNING_WHITELIST,
  SETTABLE_MEMBERS,
  capacityStatus,
  clearAttribute,
  combinationProblem,
  instancesOf,
  setAndDeleted,
  type FleetAttribute,
  type FleetAttrs,
} from "./fleet-rules.js";
import { fleetState, type FleetRecord } from "./fleet-record.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { selectByNames } from "./select.js";
import { activeSessions, drainCounters, endSessionsOfFleet } from "./sessions.js";
import { arnOf, type BaseRecord } from "./store.js";
import { storeCreateTags, dropTags } from "./tags.js";
import { begin, rest, settle } from "./transitions.js";

// The record and its state live in fleet-record.ts, which sessions and associations read without loading
// the fleet operations (that would be an import cycle: the operations end sessions and read associations).
export { fleetState, type FleetRecord, type FleetState } from "./fleet-record.js";

/** The fleets table of the request's region. */
export function fleetsOf(ctx: OpContext) {
  return ctx.store.table<FleetRecord>(ctx.region, "fleets");
}

/** A fleet by name, visible or not (mutations see through eventual consistency); RNFE when absent (FLEET-20). */
export function requireFleet(ctx: OpContext, name: unknown): FleetRecord {
  const rec = typeof name === "string" ? fleetsOf(ctx)[name] : undefined;
  if (!rec) throw notFound(`The fleet ${String(name)} does not exist.`);
  return rec;
}

/** The API `Fleet` shape for a record. */
export function fleetView(ctx: OpContext, rec: FleetRecord): Record<string, unknown> {
  const state = fleetState(ctx, rec);
  const { ComputeCapacity: _capacity, ...attrs } = rec.attrs;
  return {
    ...attrs,
    State: state,
    CreatedTime: epoch(rec.createdAt),
    ComputeCapacityStatus: { ...capacityStatus(rec.attrs, state, activeSessions(ctx, rec.attrs.Name)), ...drainCounters(ctx, rec.attrs) },
  };
}

/** Resolves ImageName/ImageArn of a request to the image's name, ARN and platform (FLEET-08, FLEET-09). */
function resolveImage(ctx: OpContext, input: { ImageName?: string; ImageArn?: string }) {
  if (input.ImageName !== undefined && input.ImageArn !== undefined) {
    throw badCombination("Specify either ImageName or ImageArn, not both.");
  }
  const ref = input.ImageName ?? input.ImageArn;
  if (ref === undefined) return undefined;
  const found = ctx.store.findImage(ctx.region, ref);
  if (!found) throw notFound(`The image ${ref} for account ${ctx.account} does not exist.`);
  if (found.state !== "AVAILABLE") {
    throw new ApiError("ResourceNotAvailableException", `The image ${found.record.attrs.Name} is not available (state ${found.state}).`);
  }
  return { ImageName: found.record.attrs.Name, ImageArn: found.record.attrs.Arn, Platform: found.record.attrs.Platform };
}

/**
 * Resolves the request's image onto `attrs` (FLEET-08…10), then checks the fleet-type rules on the result
 * (FLEET-11…13, FLEET-24).
 */
function applyImageAndCheck(ctx: OpContext, attrs: FleetAttrs, input: { ImageName?: string; ImageArn?: string }): void {
  if (attrs.FleetType !== "ELASTIC") {
    const image = resolveImage(ctx, input);
    if (image) Object.assign(attrs, image);
  } else if (input.ImageName !== undefined || input.ImageArn !== undefined) {
    throw badCombination("Elastic fleets do not use an image; remove ImageName and ImageArn.");
  }
  const problem = combinationProblem(attrs);
  if (problem) throw badCombination(problem);
}

/**
 * Copies the settable members present in `input` onto `target`. The image members are resolved separately,
 * and Platform is only the caller's to choose on ELASTIC fleets: other fleets take it from their image
 * (reference §3.3 "Platform: from image").
 */
function applyMembers(target: FleetAttrs, input: Record<string, unknown>): void {
  const t = target as unknown as Record<string, unknown>;
  for (const m of SETTABLE_MEMBERS) {
    if (input[m] === undefined || m === "ImageName" || m === "ImageArn") continue;
    if (m === "Platform" && target.FleetType !== "ELASTIC") continue;
    t[m] = structuredClone(input[m]);
  }
}

/**
 * The per-instance-type quota (QUOTA-02): `next` would run with its desired instances next to every other
 * STARTING/RUNNING fleet of the same instance type; over the quota → LimitExceededException.
 */
function checkInstanceQuota(ctx: OpContext, next: FleetAttrs): void {
  const limit = Object.hasOwn(ctx.config.quotas.instances, next.InstanceType) ? ctx.config.quotas.instances[next.InstanceType] : undefined;
  if (limit === undefined) return;
  let used = instancesOf(next);
  for (const other of Object.values(fleetsOf(ctx))) {
    if (other.attrs.Name === next.Name || other.attrs.InstanceType !== next.InstanceType) continue;
    const state = fleetState(ctx, other);
    if (state === "STARTING" || state === "RUNNING") used += instancesOf(other.attrs);
  }
  if (used > limit) {
    throw limitExceeded(`The requested number of ${next.InstanceType} instances (${used}) exceeds the limit for this account (${limit}).`);
  }
}

const createFleet = op<CreateFleetRequest>((ctx, input, raw) => {
  const fleets = fleetsOf(ctx);
  const name = String(input.Name);
  if (fleets[name]) throw alreadyExists(`The fleet ${name} already exists.`);
  if (Object.keys(fleets).length >= ctx.config.quotas.fleets) {
    throw limitExceeded(`The requested limit exceeds the permitted limit for an account: fleets (${ctx.config.quotas.fleets}).`);
  }
  const attrs: FleetAttrs = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "fleet", name),
    InstanceType: String(input.InstanceType),
    FleetType: input.FleetType ?? FLEET_DEFAULTS.FleetType,
    MaxUserDurationInSeconds: FLEET_DEFAULTS.MaxUserDurationInSeconds,
    DisconnectTimeoutInSeconds: FLEET_DEFAULTS.DisconnectTimeoutInSeconds,
    IdleDisconnectTimeoutInSeconds: FLEET_DEFAULTS.IdleDisconnectTimeoutInSeconds,
    StreamView: FLEET_DEFAULTS.StreamView,
    EnableDefaultInternetAccess: FLEET_DEFAULTS.EnableDefaultInternetAccess,
  };
  applyMembers(attrs, raw);
  applyImageAndCheck(ctx, attrs, input);
  const rec: FleetRecord = { attrs, createdAt: ctx.now, lifecycle: rest(ctx.now, "STOPPED"), visibleAt: visibleAtFor(ctx) };
  fleets[name] = rec;
  storeCreateTags(ctx, attrs.Arn, input.Tags);
  return { Fleet: fleetView(ctx, rec) };
});

const describeFleets = op<DescribeFleetsRequest>((ctx, input) => {
  const list = selectByNames(fleetsOf(ctx), input.Names, ctx.now, (n) => notFound(`The fleet ${n} does not exist.`), (r) => r.attrs.Name);
  // DescribeFleets has no page-size member (reference §13): the server page size applies.
  const page = paginate(list, `DescribeFleets|${(input.Names ?? []).join(",")}`, input.NextToken, pageSizeOf(undefined, ctx.config.pageSize));
  return { Fleets: page.items.map((r) => fleetView(ctx, r)), NextToken: page.nextToken };
});

const updateFleet = op<UpdateFleetRequest>((ctx, input, raw) => {
  if (input.Name === undefined) throw badCombination("The fleet name is required.");
  const rec = requireFleet(ctx, input.Name);
  const state = fleetState(ctx, rec);
  const setMembers = SETTABLE_MEMBERS.filter((m) => raw[m] !== undefined);
  const toDelete = (input.AttributesToDelete ?? []) as FleetAttribute[];
  if (state === "STARTING" || state === "STOPPING") {
    throw new ApiError("ConcurrentModificationException", `The fleet ${rec.attrs.Name} is ${state}. Wait until it is RUNNING or STOPPED, then try again.`);
  }
  if (state === "RUNNING") {
    const allowed = RUNNING_WHITELIST[rec.attrs.FleetType];
    const liveDeletable = rec.attrs.FleetType === "ELASTIC" ? ["SESSION_SCRIPT_S3_LOCATION", "USB_DEVICE_FILTER_STRINGS"] : [];
    const blocked =
      setMembers.some((m) => !allowed.has(m)) || toDelete.some((a) => !liveDeletable.includes(a)) || input.DeleteVpcConfig === true;
    if (blocked) {
      throw inUse(`Cannot update the attribute for fleet ${rec.attrs.Name} when it is ACTIVE. The fleet must be stopped to complete this action.`);
    }
  }
  for (const a of toDelete) {
    if (setAndDeleted(raw, a)) throw badCombination(`The attribute ${a} cannot be both set and deleted in the same request.`);
  }
  if (input.DeleteVpcConfig === true && input.VpcConfig !== undefined) {
    throw badCombination("VpcConfig cannot be both set and deleted (DeleteVpcConfig) in the same request.");
  }
  const next: FleetAttrs = structuredClone(rec.attrs);
  for (const a of toDelete) clearAttribute(next, a);
  if (input.DeleteVpcConfig === true) delete next.VpcConfig;
  applyMembers(next, raw);
  applyImageAndCheck(ctx, next, input);
  if (state === "RUNNING") checkInstanceQuota(ctx, next);
  rec.attrs = next;
  return { Fleet: fleetView(ctx, rec) };
});

const startFleet = op<StartFleetRequest>((ctx, input) => {
  const rec = requireFleet(ctx, input.Name);
  const state = fleetState(ctx, rec);
  switch (state) {
    case "STOPPED":
      checkInstanceQuota(ctx, rec.attrs);
      rec.lifecycle = begin(ctx.now, "STARTING", [{ state: "RUNNING", durationMs: ctx.config.durations.fleetStart }], ctx.config.timeScale);
      return {};
    case "STARTING":
    case "RUNNING":
      // Guess (SPEC.md Guesses, reference §20 q1): starting a started fleet is a no-op.
      return {};
    case "STOPPING":
      throw new ApiError("ConcurrentModificationException", `The fleet ${rec.attrs.Name} is ${state}. Wait until it is STOPPED, then try again.`);
    default:
      return assertNever(state, "fleet state");
  }
});

const stopFleet = op<StopFleetRequest>((ctx, input) => {
  const rec = requireFleet(ctx, input.Name);
  const state = fleetState(ctx, rec);
  switch (state) {
    case "STARTING":
    case "RUNNING":
      rec.lifecycle = begin(ctx.now, "STOPPING", [{ state: "STOPPED", durationMs: ctx.config.durations.fleetStop }], ctx.config.timeScale);
      // Stopping a fleet ends its streaming sessions (reference §3.5: a stop disrupts active users).
      endSessionsOfFleet(ctx, rec.attrs.Name);
      return {};
    case "STOPPING":
    case "STOPPED":
      // TF calls StopFleet on stopped fleets before deleting them (reference §3.5): tolerated as a no-op.
      rec.lifecycle = settle(rec.lifecycle, ctx.now);
      return {};
    default:
      return assertNever(state, "fleet state");
  }
});

const deleteFleet = op<DeleteFleetRequest>((ctx, input) => {
  const rec = requireFleet(ctx, input.Name);
  const name = rec.attrs.Name;
  if (stacksOfFleet(ctx, name).length > 0) {
    throw inUse(`The fleet ${name} is associated with a stack. To delete the fleet, you must dissociate it from the stack.`);
  }
  // Guess (SPEC.md APPFLEET-08): refused like a stack association, so applications are disassociated first.
  if (applicationsOfFleet(ctx, name).length > 0) {
    throw inUse(`The fleet ${name} has applications associated. To delete the fleet, you must disassociate them from the fleet.`);
  }
  const state = fleetState(ctx, rec);
  if (state !== "STOPPED") {
    throw inUse(`Cannot delete fleet ${name} when it is ${state}. The fleet must be stopped to complete this action.`);
  }
  delete fleetsOf(ctx)[name];
  dropTags(ctx, rec.attrs.Arn);
  return {};
});

/** Fleet operations for the registry in ops.ts. */
export const fleetOps: Record<string, OpHandler> = {
  CreateFleet: createFleet,
  DescribeFleets: describeFleets,
  UpdateFleet: updateFleet,
  StartFleet: startFleet,
  StopFleet: stopFleet,
  DeleteFleet: deleteFleet,
};
