/**
 * A fleet's steps and how they are carried out: the choreography of an update (which changes need the
 * fleet stopped, reference §3.5, §18.2), the restore that brings a stopped fleet back, the executor's
 * calls, the waiter, and the sessions a stop would end.
 */
import type { CreateFleetCommandInput, DeleteFleetCommandInput, Fleet, StartFleetCommandInput, StopFleetCommandInput, UpdateFleetCommandInput } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { kindOf } from "../aws/errors.js";
import { collect } from "../aws/paginate.js";
import type { Disruption, Restore } from "../model/plan.js";
import type { DesiredResource, FieldChange, LiveResource, StepContext, StepDraft, UpdatePlan } from "../model/resource.js";
import type { FieldDef } from "./contract.js";
import type { OpCtx, OpFn, Waiter } from "./kind.js";
import { createOrRaced, deleteOrGone, found, referring, param, TRANSITIONAL } from "./op-helpers.js";
import { apiFields, attributesToDelete, chain, waitStep, withDefaults } from "./steps.js";
import { SESSIONS_PAGE } from "./page-sizes.js";

type Table = Readonly<Record<string, FieldDef<any>>>;

export const isRunning = (state: string | undefined): boolean => state === "RUNNING" || state === "STARTING";

/** Every page of DescribeFleets for `input`: the kind's read and its waiter share this one listing. */
export async function describeFleets(api: AppStreamApi, names?: string[]): Promise<Fleet[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeFleets", { ...(names ? { Names: names } : {}), ...(token ? { NextToken: token } : {}) });
    return { items: out.Fleets ?? [], next: out.NextToken };
  }, { label: "DescribeFleets" });
}

function updateRequest(table: Table, d: DesiredResource, l: LiveResource, changes: readonly FieldChange[]): Record<string, unknown> {
  const api = changes.filter((c) => c.role === "api");
  const set = apiFields(withDefaults(d.spec, api, table), api.filter((c) => !c.clear).map((c) => c.field));
  const del = attributesToDelete(api, d.spec, l.spec, table);
  return { Name: d.name, ...set, ...(del.length ? { AttributesToDelete: del } : {}) };
}

/**
 * The UpdateFleet request that puts back what `updateRequest` changes: the live values, AWS's default
 * for a field the fleet did not have and that cannot be cleared, AttributesToDelete for one it can.
 */
function reverseRequest(table: Table, d: DesiredResource, l: LiveResource, changes: readonly FieldChange[]): Record<string, unknown> {
  const back = changes
    .filter((c) => c.role === "api")
    .map((c) => ({ ...c, clear: l.spec[c.field] === undefined && table[c.field]?.clear !== undefined }));
  const set = apiFields(withDefaults(l.spec, back, table), back.filter((c) => !c.clear).map((c) => c.field));
  const del = attributesToDelete(back, l.spec, d.spec, table);
  return { Name: d.name, ...set, ...(del.length ? { AttributesToDelete: del } : {}) };
}

/**
 * A stopped fleet is not left stopped: if the update or the restart fails, or the apply is interrupted
 * between the stop and the start, the executor undoes a completed update and starts the fleet again.
 */
function restartGuard(table: Table, d: DesiredResource, l: LiveResource, changes: readonly FieldChange[], region: string): Restore {
  return {
    guards: ["stopped", "update", "start"],
    steps: [
      // The stop may have been cut short by an interrupt: nothing is accepted while the fleet is STOPPING.
      { id: "stopped", op: "wait", params: { kind: "fleet", name: d.name, until: "STOPPED" } },
      { id: "update", op: "fleet.update", params: reverseRequest(table, d, l, changes), ifDone: "update", optional: true },
      { id: "start", op: "fleet.start", params: { Name: d.name } },
      { id: "running", op: "wait", params: { kind: "fleet", name: d.name, until: "RUNNING" } },
    ],
    leftIn: "STOPPED",
    manual: `aws appstream start-fleet --name ${d.name} --region ${region}`,
  };
}

/**
 * What an update needs from the fleet, least disruptive first (as aws-cdk orders impacts): the update
 * follows the worst need among its changes.
 * - `live`: sent while the fleet keeps serving (or is stopped anyway);
 * - `stop`: `state: stopped` on a running fleet;
 * - `stop-to-update`: a field that only changes on a stopped fleet, while it runs.
 */
const NEEDS = ["live", "stop", "stop-to-update"] as const;
type Need = (typeof NEEDS)[number];

/** The disruption of each need: the one table the plan's `!` marks and `--allow-disruption` come from. */
const DISRUPTION: Readonly<Record<Need, Disruption>> = { live: "none", stop: "fleet-restart", "stop-to-update": "fleet-restart" };

function worst(needs: readonly Need[]): Need {
  return needs.reduce<Need>((a, b) => (NEEDS.indexOf(b) > NEEDS.indexOf(a) ? b : a), "live");
}

/** Fleet choreography (reference §18.2): one stop for every stop-only field, restart only if wanted. */
export function fleetUpdate(table: Table, d: DesiredResource, l: LiveResource, changes: FieldChange[], ctx: StepContext): UpdatePlan {
  const api = changes.filter((c) => c.role === "api");
  const running = isRunning(l.state);
  const wantRunning = (d.spec.state ?? "running") === "running";
  const stopFields = running ? api.filter((c) => c.mode === "requires-stop").map((c) => c.path) : [];
  const need = worst([...(stopFields.length ? ["stop-to-update" as const] : []), ...(running && !wantRunning ? ["stop" as const] : [])]);
  const start = (): StepDraft[] => [{ id: "start", op: "fleet.start", params: { Name: d.name } }, waitStep("running", "fleet", d.name, "RUNNING", [])];
  const update = (): StepDraft[] => (api.length ? [{ id: "update", op: "fleet.update", params: updateRequest(table, d, l, changes) }] : []);
  const stop = (guarded: boolean): StepDraft[] => [
    { id: "stop", op: "fleet.stop", params: { Name: d.name }, ...(guarded ? { restore: restartGuard(table, d, l, changes, ctx.region) } : {}) },
    waitStep("stopped", "fleet", d.name, "STOPPED", []),
  ];
  const plans: Readonly<Record<Need, () => { steps: StepDraft[]; reason: string }>> = {
    live: () => ({ steps: [...update(), ...(wantRunning && !running ? start() : [])], reason: "" }),
    stop: () => ({ steps: [...update(), ...stop(false)], reason: "state: stopped stops the running fleet" }),
    "stop-to-update": () => ({
      steps: [...stop(wantRunning), ...update(), ...(wantRunning ? start() : [])],
      reason: `${stopFields.join(", ")} ${stopFields.length > 1 ? "require" : "requires"} a stopped fleet: stop → update${wantRunning ? " → start" : ", left stopped"}`,
    }),
  };
  const { steps, reason } = plans[need]();
  const image = api.find((c) => c.field === "imageName" || c.field === "imageArn");
  const warnings = image && running
    ? [`new sessions start on ${String(d.spec[image.field])}; running sessions keep the old image until they end`]
    : [];
  return { steps: chain(steps), disruption: DISRUPTION[need], reason, warnings };
}

/** Sessions a stop of this fleet would end, over every stack it serves (DescribeSessions, §17). */
export async function activeSessions(api: AppStreamApi, fleet: string, stacks: readonly string[]): Promise<number> {
  let n = 0;
  for (const stack of stacks) {
    const sessions = await collect(async (token) => {
      const out = await api.call("DescribeSessions", { StackName: stack, FleetName: fleet, Limit: SESSIONS_PAGE, ...(token ? { NextToken: token } : {}) });
      return { items: out.Sessions ?? [], next: out.NextToken };
    }, { label: "DescribeSessions" });
    n += sessions.filter((s) => s.State !== "EXPIRED").length;
  }
  return n;
}

/**
 * Runs a call that uses an image; if the image exists but is not AVAILABLE yet (ResourceNotAvailable:
 * still importing or copying — e.g. a re-run after Ctrl-C that found it mid-way, reference §7.2), waits
 * for it with the shared image poller and tries once more.
 */
export async function withImage(ctx: OpCtx, image: unknown, call: () => Promise<unknown>): Promise<undefined> {
  try {
    await call();
  } catch (err) {
    if (kindOf(err) !== "not-available" || typeof image !== "string" || image.startsWith("arn:")) throw err;
    await ctx.wait("image", { name: image, until: "AVAILABLE", timeoutMs: ctx.timeouts.image });
    await call();
  }
  return undefined;
}

const fleetExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeFleets", { Names: [name] })).Fleets);

export const fleetOps = {
  "fleet.create": ((ctx, s) => {
    const create = () => withImage(ctx, s.params.ImageName, () => ctx.call("CreateFleet", s.params, referring(ctx, s.address)));
    return createOrRaced(create, () => fleetExists(ctx, param(s, "Name")));
  }) satisfies OpFn<CreateFleetCommandInput>,
  "fleet.update": ((ctx, s) =>
    withImage(ctx, s.params.ImageName, () => ctx.call("UpdateFleet", s.params, { resource: s.address, allow: ["invalid-role-propagation"] }))) satisfies OpFn<UpdateFleetCommandInput>,
  "fleet.start": (async (ctx, s) => void (await ctx.call("StartFleet", s.params, { ...TRANSITIONAL, resource: s.address }))) satisfies OpFn<StartFleetCommandInput>,
  "fleet.stop": (async (ctx, s) => void (await ctx.call("StopFleet", s.params, { ...TRANSITIONAL, resource: s.address }))) satisfies OpFn<StopFleetCommandInput>,
  "fleet.delete": ((ctx, s) => deleteOrGone(() => ctx.call("DeleteFleet", s.params, { resource: s.address }))) satisfies OpFn<DeleteFleetCommandInput>,
};

const codes = (errs: ReadonlyArray<{ ErrorCode?: string; ErrorMessage?: string }> | undefined): string =>
  (errs ?? []).map((e) => `${e.ErrorCode ?? "ERROR"}: ${e.ErrorMessage ?? ""}`.trim()).join("; ");

/** The stable state on the other side of the path: seen there, the resource is not heading to `until`. */
const OPPOSITE: Record<string, readonly string[]> = { RUNNING: ["STOPPED"], STOPPED: ["RUNNING"] };

/** A stable state the resource should not be in while heading to `until` (changed outside this apply?). */
export function offPath(noun: string, name: string, state: string, until: string): { message: string; fatal: false } | undefined {
  return OPPOSITE[until]?.includes(state)
    ? { message: `${noun} ${name} is ${state} while waiting for ${until} (changed outside this apply?)`, fatal: false }
    : undefined;
}

export { codes as errorCodes };

const MINUTE = 60_000;

/** Fleets: 60 min (instances can take ~25 min to come up, §3.5). */
export const fleetWaiter: Waiter<Fleet> = {
  kind: "fleet",
  timeoutMs: 60 * MINUTE,
  read: (api, names) => describeFleets(api, names),
  name: (f) => f.Name ?? "",
  state: (f) => f.State ?? "UNKNOWN",
  // FleetErrors (e.g. SUBNET_HAS_INSUFFICIENT_IP_ADDRESSES) can clear while instances come up, so they
  // fail the wait only when they persist (reference §15.1 "gaps", §15.2).
  problem: (f, until) =>
    f.FleetErrors?.length && until === "RUNNING"
      ? { message: `fleet ${f.Name} reports errors: ${codes(f.FleetErrors)}`, fatal: false }
      : offPath("fleet", f.Name ?? "", f.State ?? "", until),
};
