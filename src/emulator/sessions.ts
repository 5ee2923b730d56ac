/**
 * Streaming sessions (reference §17): DescribeSessions and ExpireSession, plus the control-API hook that
 * creates ACTIVE sessions on a RUNNING fleet so tests can count what a fleet stop would disrupt. Sessions
 * live in the `sessions` collection keyed by id; one is ACTIVE while its fleet is RUNNING and its
 * MaxExpirationTime has not passed, and is simply gone afterwards.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { DescribeSessionsRequest, ExpireSessionRequest } from "@aws-sdk/client-appstream";
import { fleetOfStack } from "./associations.js";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError, badCombination, notFound } from "./errors.js";
import { fleetState, type FleetRecord } from "./fleet-record.js";
import { sessionCapacity } from "./fleet-rules.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import type { BaseRecord, Store } from "./store.js";

/** A stored session; times in epoch ms. */
export interface SessionRecord extends BaseRecord {
  Id: string;
  UserId: string;
  StackName: string;
  FleetName: string;
  AuthenticationType: "API" | "SAML" | "USERPOOL" | "AWS_AD";
  StartTime: number;
  MaxExpirationTime: number;
  InstanceId: string;
}

/** The minimum a session helper needs: where and when. */
type Where = Pick<OpContext, "store" | "region" | "now">;

function sessionsTable(w: Where) {
  return w.store.table<SessionRecord>(w.region, "sessions");
}

function fleetRunning(w: Where, fleetName: string): boolean {
  const fleet = w.store.table<FleetRecord>(w.region, "fleets")[fleetName];
  return fleet !== undefined && fleetState(w, fleet) === "RUNNING";
}

/** ACTIVE sessions (not expired, fleet RUNNING), oldest first. */
export function liveSessions(w: Where, fleetName?: string): SessionRecord[] {
  return Object.values(sessionsTable(w))
    .filter((s) => (fleetName === undefined || s.FleetName === fleetName) && s.MaxExpirationTime > w.now && fleetRunning(w, s.FleetName))
    .sort((a, b) => a.StartTime - b.StartTime || a.Id.localeCompare(b.Id));
}

/** Number of ACTIVE sessions on a fleet (feeds ComputeCapacityStatus). */
export function activeSessions(w: Where, fleetName: string): number {
  return liveSessions(w, fleetName).length;
}

/** Ends every session of a fleet (StopFleet). */
export function endSessionsOfFleet(w: Where, fleetName: string): void {
  const table = sessionsTable(w);
  for (const [id, s] of Object.entries(table)) if (s.FleetName === fleetName) delete table[id];
}

/** Ends every session of a stack (DeleteStack releases its sessions, reference §4.4). */
export function endSessionsOfStack(w: Where, stackName: string): void {
  const table = sessionsTable(w);
  for (const [id, s] of Object.entries(table)) if (s.StackName === stackName) delete table[id];
}

/** The table of drained streaming instances (DrainSessionInstance in streaming.ts): instance id → its fleet. */
export function drainedInstances(w: Pick<OpContext, "store" | "region">) {
  return w.store.table<BaseRecord & { FleetName: string }>(w.region, "drainedInstances");
}

/** True for a fleet that hosts several sessions per instance (the only kind that can be drained). */
export function isMultiSession(w: Where, fleetName: string): boolean {
  return w.store.table<FleetRecord>(w.region, "fleets")[fleetName]?.attrs.MaxSessionsPerInstance !== undefined;
}

/** DRAIN-02: DRAINING on a drained instance, else ACTIVE; single-session and Elastic fleets: NOT_APPLICABLE. */
function drainStatus(w: Where, s: SessionRecord): string {
  if (!isMultiSession(w, s.FleetName)) return "NOT_APPLICABLE";
  return drainedInstances(w)[s.InstanceId] ? "DRAINING" : "ACTIVE";
}

/**
 * DRAIN-04: the drain counters of a multi-session fleet's ComputeCapacityStatus, present only while one of
 * its instances is draining: Draining (instances), DrainModeActiveUserSessions (sessions on them) and
 * DrainModeUnusedUserSessions (their free session slots).
 */
export function drainCounters(w: Where, fleet: FleetRecord["attrs"]): Record<string, number> {
  const perInstance = fleet.MaxSessionsPerInstance;
  if (perInstance === undefined) return {};
  const drained = drainedInstances(w);
  const onDrained = liveSessions(w, fleet.Name).filter((s) => drained[s.InstanceId]);
  const instances = new Set(onDrained.map((s) => s.InstanceId)).size;
  if (instances === 0) return {};
  return { Draining: instances, DrainModeActiveUserSessions: onDrained.length, DrainModeUnusedUserSessions: instances * perInstance - onDrained.length };
}

/**
 * The instance a new session of `fleetName` lands on: on a multi-session fleet, the first undrained
 * instance with room (MaxSessionsPerInstance), else a fresh one; on other fleets always a fresh one.
 */
function instanceFor(w: Where, fleet: FleetRecord): string {
  const perInstance = fleet.attrs.MaxSessionsPerInstance;
  if (perInstance !== undefined) {
    const load = new Map<string, number>();
    for (const s of liveSessions(w, fleet.attrs.Name)) load.set(s.InstanceId, (load.get(s.InstanceId) ?? 0) + 1);
    for (const [id, n] of load) if (n < perInstance && !drainedInstances(w)[id]) return id;
  }
  return `i-${randomBytes(9).toString("hex").slice(0, 17)}`;
}

function view(w: Where, s: SessionRecord): Record<string, unknown> {
  return {
    Id: s.Id,
    UserId: s.UserId,
    StackName: s.StackName,
    FleetName: s.FleetName,
    State: "ACTIVE",
    ConnectionState: "CONNECTED",
    StartTime: epoch(s.StartTime),
    MaxExpirationTime: epoch(s.MaxExpirationTime),
    AuthenticationType: s.AuthenticationType,
    InstanceId: s.InstanceId,
    InstanceDrainStatus: drainStatus(w, s),
  };
}

const describeSessions = op<DescribeSessionsRequest>((ctx, input) => {
  if (input.UserId !== undefined && input.AuthenticationType === undefined) {
    throw badCombination("AuthenticationType is required when UserId is specified.");
  }
  const list = liveSessions(ctx, String(input.FleetName)).filter(
    (s) =>
      s.StackName === input.StackName &&
      (input.UserId === undefined || s.UserId === input.UserId) &&
      (input.AuthenticationType === undefined || s.AuthenticationType === input.AuthenticationType) &&
      (input.InstanceId === undefined || s.InstanceId === input.InstanceId),
  );
  const scope = `DescribeSessions|${String(input.StackName)}|${String(input.FleetName)}|${input.UserId ?? ""}|${input.AuthenticationType ?? ""}|${input.InstanceId ?? ""}`;
  const page = paginate(list, scope, input.NextToken, pageSizeOf(input.Limit, ctx.config.pageSize));
  return { Sessions: page.items.map((s) => view(ctx, s)), NextToken: page.nextToken };
});

const expireSession = op<ExpireSessionRequest>((ctx, input) => {
  // No modeled errors (reference §14.2): an unknown or already ended session is a silent success.
  delete sessionsTable(ctx)[String(input.SessionId)];
  return {};
});

/** Session operations for the registry in ops.ts. */
export const sessionOps: Record<string, OpHandler> = {
  DescribeSessions: describeSessions,
  ExpireSession: expireSession,
};

const AUTH_TYPES = ["API", "SAML", "USERPOOL", "AWS_AD"] as const;

/**
 * Control hook (`POST /_emulator/sessions`): creates `count` ACTIVE sessions for a stack on its associated,
 * RUNNING fleet, within the fleet's capacity. Returns the new session ids.
 */
export function createSessions(store: Store, region: string, body: Record<string, unknown>): string[] {
  const w: Where = { store, region, now: store.now() };
  const stackName = String(body.stackName);
  const fleetName = String(body.fleetName);
  const count = body.count ?? 1;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) throw new ApiError("ValidationException", "count must be an integer ≥ 1");
  const auth = (body.authenticationType ?? "API") as SessionRecord["AuthenticationType"];
  if (!AUTH_TYPES.includes(auth)) throw new ApiError("ValidationException", `authenticationType must be one of ${AUTH_TYPES.join(", ")}`);
  const userIds = Array.isArray(body.userIds) ? body.userIds.map(String) : [];
  if (!store.table(region, "stacks")[stackName]) throw notFound(`The stack ${stackName} does not exist.`);
  const fleet = store.table<FleetRecord>(region, "fleets")[fleetName];
  if (!fleet) throw notFound(`The fleet ${fleetName} does not exist.`);
  if (fleetOfStack(w, stackName) !== fleetName) {
    throw new ApiError("OperationNotPermittedException", `The fleet ${fleetName} is not associated with the stack ${stackName}.`);
  }
  if (!fleetRunning(w, fleetName)) throw new ApiError("ResourceNotAvailableException", `The fleet ${fleetName} is not RUNNING.`);
  const capacity = sessionCapacity(fleet.attrs);
  if (activeSessions(w, fleetName) + count > capacity) {
    throw new ApiError("LimitExceededException", `The fleet ${fleetName} has capacity for ${capacity} sessions.`);
  }
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const rec: SessionRecord = {
      Id: id,
      UserId: userIds[i] ?? `user-${Object.keys(sessionsTable(w)).length + 1}`,
      StackName: stackName,
      FleetName: fleetName,
      AuthenticationType: auth,
      StartTime: w.now,
      MaxExpirationTime: w.now + fleet.attrs.MaxUserDurationInSeconds * 1000,
      InstanceId: instanceFor(w, fleet),
      createdAt: w.now,
    };
    sessionsTable(w)[id] = rec;
    ids.push(id);
  }
  return ids;
}
