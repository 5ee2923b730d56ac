/**
 * An app block builder's steps and how they are carried out (reference §12.4): the choreography of an
 * update (a running builder takes only its display name and description; everything else, its app block
 * association included, needs it stopped), the restart that brings a stopped builder back, the calls and
 * the waiter.
 */
import type {
  AppBlockBuilder, CreateAppBlockBuilderCommandInput, DeleteAppBlockBuilderCommandInput, StartAppBlockBuilderCommandInput,
  StopAppBlockBuilderCommandInput, UpdateAppBlockBuilderCommandInput,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import type { Restore } from "../model/plan.js";
import type { DesiredResource, FieldChange, LiveResource, StepContext, StepDraft, UpdatePlan } from "../model/resource.js";
import type { FieldDef } from "./contract.js";
import { errorCodes, offPath } from "./fleet-steps.js";
import type { OpCtx, OpFn, Waiter } from "./kind.js";
import { createOrRaced, deleteOrGone, found, param, PROPAGATION, referring, TRANSITIONAL } from "./op-helpers.js";
import { apiFields, attributesToDelete, chain, waitStep, withDefaults } from "./steps.js";

type Table = Readonly<Record<string, FieldDef<any>>>;

/** The waiter's name (`--wait-timeout app-block-builder=30m`). */
const WAIT = "app-block-builder";

/** STARTING ends RUNNING on its own (or STOPPED with errors); the builder counts as up. */
export const isUp = (state: string | undefined): boolean => state === "RUNNING" || state === "STARTING";

/** Every page of DescribeAppBlockBuilders: the kind's read and its waiter share this one listing. */
export async function describeAppBlockBuilders(api: AppStreamApi, names?: string[]): Promise<AppBlockBuilder[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeAppBlockBuilders", { ...(names ? { Names: names } : {}), ...(token ? { NextToken: token } : {}) });
    return { items: out.AppBlockBuilders ?? [], next: out.NextToken };
  }, { label: "DescribeAppBlockBuilders" });
}

/** Builder name → the ARN of its app block, from one listing of every association. */
export async function describeAssociations(api: AppStreamApi, builder?: string): Promise<Map<string, string>> {
  const all = await collect(async (token) => {
    const out = await api.call("DescribeAppBlockBuilderAppBlockAssociations", {
      ...(builder ? { AppBlockBuilderName: builder } : {}), ...(token ? { NextToken: token } : {}),
    });
    return { items: out.AppBlockBuilderAppBlockAssociations ?? [], next: out.NextToken };
  }, { label: "DescribeAppBlockBuilderAppBlockAssociations" });
  return new Map(all.flatMap((a) => (a.AppBlockBuilderName && a.AppBlockArn ? [[a.AppBlockBuilderName, a.AppBlockArn] as const] : [])));
}

/** The fields sent by Create/Update: `appBlock` is an association, made by its own calls. */
export const sentFields = (table: Table): string[] => Object.entries(table).filter(([f, d]) => d.role === "api" && f !== "appBlock").map(([f]) => f);

function updateRequest(table: Table, d: DesiredResource, l: LiveResource, api: readonly FieldChange[]): UpdateAppBlockBuilderCommandInput {
  const set = apiFields(withDefaults(d.spec, api, table), api.filter((c) => !c.clear).map((c) => c.field));
  const del = attributesToDelete(api, d.spec, l.spec, table);
  return { Name: d.name, ...set, ...(del.length ? { AttributesToDelete: del as UpdateAppBlockBuilderCommandInput["AttributesToDelete"] } : {}) };
}

/** The association's params: the builder and the block's name (its ARN is the builder's, made the block's). */
export interface AssociationParams {
  AppBlockBuilderName: string;
  AppBlockName: string;
}

const start = (name: string): StepDraft[] => [
  { id: "start", op: "app-block-builder.start", params: { Name: name } },
  waitStep("running", WAIT, name, "RUNNING", []),
];
const stop = (name: string, restore?: Restore): StepDraft[] => [
  { id: "stop", op: "app-block-builder.stop", params: { Name: name }, ...(restore ? { restore } : {}) },
  waitStep("stopped", WAIT, name, "STOPPED", []),
];
const associate = (name: string, block: string): StepDraft => ({
  id: "associate", op: "app-block-builder.associate", params: { AppBlockBuilderName: name, AppBlockName: block },
});
const disassociate = (name: string, block: string): StepDraft => ({
  id: "disassociate", op: "app-block-builder.disassociate", params: { AppBlockBuilderName: name, AppBlockName: block },
});

/**
 * A builder stopped to be changed is not left stopped: if a change or the start fails, or the apply is
 * interrupted before the start, it is started again (on whatever the changes left).
 */
function restartGuard(name: string, guards: string[], region: string): Restore {
  return {
    guards: ["stopped", ...guards, "start"],
    steps: [
      { id: "stopped", op: "wait", params: { kind: WAIT, name, until: "STOPPED" } },
      { id: "start", op: "app-block-builder.start", params: { Name: name } },
      { id: "running", op: "wait", params: { kind: WAIT, name, until: "RUNNING" } },
    ],
    leftIn: "STOPPED",
    manual: `aws appstream start-app-block-builder --name ${name} --region ${region}`,
  };
}

/** Create STOPPED (ABB-01), associate the app block, start when declared running. */
export function createSteps(table: Table, d: DesiredResource): StepDraft[] {
  const steps: StepDraft[] = [{
    id: "create", op: "app-block-builder.create",
    params: { Name: d.name, ...apiFields(d.spec, sentFields(table)), ...(d.tags ? { Tags: d.tags } : {}) },
  }];
  if (typeof d.spec.appBlock === "string") steps.push(associate(d.name, d.spec.appBlock));
  if (d.spec.state === "running") steps.push(...start(d.name));
  return chain(steps);
}

/**
 * Update choreography (reference §12.4, ABB-08): displayName and description are sent while it runs;
 * any other change, the association included, needs the builder stopped: stop → update → re-associate →
 * start again when declared running.
 */
export function updateSteps(table: Table, d: DesiredResource, l: LiveResource, changes: FieldChange[], ctx: StepContext): UpdatePlan {
  const api = changes.filter((c) => c.role === "api" && c.field !== "appBlock");
  const block = changes.find((c) => c.field === "appBlock");
  const up = isUp(l.state);
  const wantUp = d.spec.state === "running";
  const stopOnly = [...api.filter((c) => c.mode === "requires-stop").map((c) => c.path), ...(block ? ["appBlock"] : [])];
  const mustStop = up && (stopOnly.length > 0 || !wantUp);
  const changeSteps: StepDraft[] = [
    ...(api.length ? [{ id: "update", op: "app-block-builder.update", params: updateRequest(table, d, l, api) as unknown as Record<string, unknown> }] : []),
    ...(block && typeof l.spec.appBlock === "string" ? [disassociate(d.name, l.spec.appBlock)] : []),
    ...(block && typeof d.spec.appBlock === "string" ? [associate(d.name, d.spec.appBlock)] : []),
  ];
  const steps = [
    ...(mustStop ? stop(d.name, wantUp && stopOnly.length ? restartGuard(d.name, changeSteps.map((s) => s.id), ctx.region) : undefined) : []),
    ...changeSteps,
    ...(wantUp && (mustStop || !up) ? start(d.name) : []),
  ];
  const reason = up && stopOnly.length
    ? `${stopOnly.join(", ")} ${stopOnly.length > 1 ? "require" : "requires"} a stopped app block builder: stop → update${wantUp ? " → start" : ", left stopped"}`
    : "";
  const warnings = mustStop ? ["stopping the app block builder ends any session connected to it; nothing on its instance is kept"] : [];
  return { steps: chain(steps), disruption: "none", reason, warnings };
}

/** Stop, let go of the app block (a builder with one cannot be deleted, ABB-11), delete. */
export function removeSteps(l: LiveResource): StepDraft[] {
  const steps: StepDraft[] = [];
  if (isUp(l.state)) steps.push(...stop(l.name));
  else if (l.state === "STOPPING") steps.push(waitStep("stopped", WAIT, l.name, "STOPPED", []));
  if (typeof l.spec.appBlock === "string") steps.push(disassociate(l.name, l.spec.appBlock));
  steps.push({ id: "delete", op: "app-block-builder.delete", params: { Name: l.name } });
  return chain(steps);
}

const builderExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeAppBlockBuilders", { Names: [name] })).AppBlockBuilders);

/**
 * The app block's ARN: same partition, region and account as the builder's (both are AppStream
 * resources of this account), so the builder's own ARN gives it without listing every app block.
 */
async function appBlockArn(ctx: OpCtx, s: { address: string; params: AssociationParams }): Promise<string> {
  const builder = param(s as never, "AppBlockBuilderName");
  const out = await ctx.call("DescribeAppBlockBuilders", { Names: [builder] }, { ...PROPAGATION, resource: s.address });
  const arn = out.AppBlockBuilders?.[0]?.Arn ?? "";
  return arn.replace(/:app-block-builder\/[^/]*$/, `:app-block/${param(s as never, "AppBlockName")}`);
}

export const appBlockBuilderOps = {
  "app-block-builder.create": ((ctx, s) =>
    createOrRaced(
      () => ctx.call("CreateAppBlockBuilder", s.params, referring(ctx, s.address)),
      () => builderExists(ctx, param(s, "Name")),
    )) satisfies OpFn<CreateAppBlockBuilderCommandInput>,
  "app-block-builder.update": (async (ctx, s) =>
    void (await ctx.call("UpdateAppBlockBuilder", s.params, { resource: s.address, allow: ["invalid-role-propagation"] }))) satisfies OpFn<UpdateAppBlockBuilderCommandInput>,
  "app-block-builder.start": (async (ctx, s) =>
    void (await ctx.call("StartAppBlockBuilder", s.params, { ...TRANSITIONAL, resource: s.address }))) satisfies OpFn<StartAppBlockBuilderCommandInput>,
  "app-block-builder.stop": (async (ctx, s) =>
    void (await ctx.call("StopAppBlockBuilder", s.params, { ...TRANSITIONAL, resource: s.address }))) satisfies OpFn<StopAppBlockBuilderCommandInput>,
  "app-block-builder.delete": ((ctx, s) =>
    deleteOrGone(() => ctx.call("DeleteAppBlockBuilder", s.params, { allow: ["not-permitted-transitional"], resource: s.address }))) satisfies OpFn<DeleteAppBlockBuilderCommandInput>,
  "app-block-builder.associate": (async (ctx, s) => {
    const AppBlockArn = await appBlockArn(ctx, s);
    await ctx.call("AssociateAppBlockBuilderAppBlock", { AppBlockBuilderName: s.params.AppBlockBuilderName, AppBlockArn }, referring(ctx, s.address));
    return undefined;
  }) satisfies OpFn<AssociationParams>,
  "app-block-builder.disassociate": (async (ctx, s) => {
    const AppBlockArn = await appBlockArn(ctx, s);
    return deleteOrGone(() => ctx.call("DisassociateAppBlockBuilderAppBlock", { AppBlockBuilderName: s.params.AppBlockBuilderName, AppBlockArn }, { resource: s.address }));
  }) satisfies OpFn<AssociationParams>,
};

/** App block builders: 60 min, as image builders (reference §15.2). */
export const appBlockBuilderWaiter: Waiter<AppBlockBuilder> = {
  kind: WAIT,
  timeoutMs: 60 * 60_000,
  read: (api, names) => describeAppBlockBuilders(api, names),
  name: (b) => b.Name ?? "",
  state: (b) => b.State ?? "UNKNOWN",
  problem(b, until) {
    // A failed start falls back to STOPPED with errors (ABB-13): that is the end of this start.
    if (until === "RUNNING" && b.State === "STOPPED" && (b.AppBlockBuilderErrors?.length || b.StateChangeReason?.Code)) {
      const why = errorCodes(b.AppBlockBuilderErrors) || [b.StateChangeReason?.Code, b.StateChangeReason?.Message].filter(Boolean).join(": ");
      return { message: `app block builder ${b.Name} failed to start: ${why}`, fatal: true };
    }
    return offPath("app block builder", b.Name ?? "", b.State ?? "", until);
  },
};
