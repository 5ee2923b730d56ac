/**
 * ImageBuilder (reference §6). There is no UpdateImageBuilder: every attribute is immutable except the
 * run state (Start/Stop) and the agent version, which StartImageBuilder accepts — so a new agent version
 * means stop → start, and anything else means replace, which loses the work inside the builder.
 */
import type {
  CreateImageBuilderCommandInput, DeleteImageBuilderCommandInput, ImageBuilder, StartImageBuilderCommandInput, StopImageBuilderCommandInput,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import { directoryRef, domainJoinRules, imageSoftRef, imageSourceRules, instanceTypeRules, tagRules } from "./common-rules.js";
import { imageBuilderConnect } from "./connect.js";
import type { FieldTable, LiveResource, ManifestView, RuleViolation, StepDraft } from "./contract.js";
import { licensedSoftwareRules } from "./licensed-software.js";
import { softwaresAssociation, softwaresRules, softwaresSchema } from "./image-builder-software.js";
import { imageOf } from "./fleet.js";
import { errorCodes, offPath, withImage } from "./fleet-steps.js";
import { defineKind, type OpCtx, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, found, referring, param, TRANSITIONAL } from "./op-helpers.js";
import { nameFromArn } from "./convert.js";
import type { Restore } from "../model/plan.js";
import { apiFieldNames, apiFields, chain, specFromApi, waitStep } from "./steps.js";
import {
  acceptUnknownInstanceType, accessEndpoints, arn, bool, domainJoinInfo, ignoreChanges, imageSelector, int, list, name, obj, oneOfEnum, protect, str, tags, vpcConfig,
} from "./schema-dsl.js";
import { limitRange } from "./api-limits.js";
import { UNBOUNDED_PAGE } from "./page-sizes.js";
import { scheduleRules, scheduleSchema, type ScheduleSpec } from "./run-schedule.js";
import { maxOwnerName, scheduleAssociation, scheduledUpdate, scheduleMoves, stateAtCreate, withScheduledState } from "./schedule.js";

export interface ImageBuilderSpec {
  name: string;
  instanceType: string;
  acceptUnknownInstanceType?: boolean;
  imageName?: string;
  imageArn?: string;
  imageSelector?: { nameRegex: string; newest?: boolean; type?: "PUBLIC" | "PRIVATE" | "SHARED" };
  description?: string;
  displayName?: string;
  vpcConfig?: { subnetIds?: string[]; securityGroupIds?: string[] };
  iamRoleArn?: string;
  enableDefaultInternetAccess?: boolean;
  domainJoinInfo?: { directoryName?: string; organizationalUnitDistinguishedName?: string };
  appstreamAgentVersion?: string;
  accessEndpoints?: { endpointType: "STREAMING"; vpceId?: string }[];
  rootVolumeConfig?: { volumeSizeInGb?: number };
  softwaresToInstall?: string[];
  softwaresToUninstall?: string[];
  softwares?: string[];
  disableIMDSV1?: boolean;
  state?: "running" | "stopped";
  schedule?: ScheduleSpec | "none";
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/** Never read back, so an exported or adopted builder cannot list them: left out, they are not managed. */
const SOFTWARE_KEPT = { keep: "never read back: left out, the builder's software is not managed (an export cannot list it)" } as const;
const ONE_IMAGE = { keep: "one of imageName, imageArn and imageSelector is always given" } as const;

/** The agent-version value that means "the latest agent", spelled as the API spells it. */
export const LATEST_AGENT = "[LATEST]";

/** Image builders take the fleet instance types except the two largest standard sizes (§3.6). */
const NOT_FOR_BUILDERS = ["stream.standard.xlarge", "stream.standard.2xlarge"];

const fields: FieldTable<ImageBuilderSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Image builder name (immutable)") },
  instanceType: { role: "api", mode: "replace", schema: str({ min: 1, description: "e.g. stream.standard.medium" }) },
  acceptUnknownInstanceType: { role: "meta", mode: "live", schema: acceptUnknownInstanceType() },
  imageName: { role: "api", mode: "replace", removal: ONE_IMAGE, schema: str({ min: 1, description: "Base image (one of imageName, imageArn, imageSelector)" }) },
  imageArn: { role: "api", mode: "replace", removal: ONE_IMAGE, schema: arn("Base image ARN") },
  imageSelector: { role: "selector", mode: "replace", removal: ONE_IMAGE, schema: imageSelector() },
  description: { role: "api", mode: "replace", awsDefault: "", schema: str({ max: 256 }) },
  displayName: { role: "api", mode: "replace", awsDefault: "", schema: str({ max: 100 }) },
  vpcConfig: { role: "api", mode: "replace", removal: "unset", schema: vpcConfig() },
  iamRoleArn: { role: "api", mode: "replace", removal: "unset", schema: arn("Role the builder instance assumes") },
  enableDefaultInternetAccess: { role: "api", mode: "replace", awsDefault: false, schema: bool() },
  domainJoinInfo: { role: "api", mode: "replace", removal: "unset", schema: domainJoinInfo() },
  appstreamAgentVersion: {
    role: "api", mode: "requires-stop",
    removal: { keep: "a builder keeps the agent it runs; the image's agent is only the default at create" },
    schema: str({ min: 1, max: 100, description: "Agent version, or [LATEST]; applied by stop → start" }),
  },
  accessEndpoints: { role: "api", mode: "replace", removal: "unset", schema: accessEndpoints() },
  rootVolumeConfig: {
    role: "api", mode: "replace", awsDefault: { volumeSizeInGb: 200 },
    canonical: (v) => ({ volumeSizeInGb: 200, ...(v as object) }),
    schema: obj({ volumeSizeInGb: int(...limitRange("VolumeConfig.VolumeSizeInGb")) }),
  },
  // Not returned by DescribeImageBuilders: remembered in a digest tag, so that a change is still seen.
  softwaresToInstall: { role: "api", mode: "replace", remembered: true, removal: SOFTWARE_KEPT, schema: list(str({ min: 1 }), { unique: true, description: "License-included applications to install" }) },
  softwaresToUninstall: { role: "api", mode: "replace", remembered: true, removal: SOFTWARE_KEPT, schema: list(str({ min: 1 }), { unique: true }) },
  softwares: { role: "association", mode: "live", schema: softwaresSchema },
  disableIMDSV1: { role: "api", mode: "replace", awsDefault: false, schema: bool() },
  state: {
    role: "state", mode: "live", awsDefault: "running",
    schema: oneOfEnum(["running", "stopped"], "Desired run state (default running)"),
  },
  schedule: { role: "association", mode: "live", schema: scheduleSchema() },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: ImageBuilderSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [...tagRules(s, m, 1), ...domainJoinRules(s, m)];
  if (!NOT_FOR_BUILDERS.includes(s.instanceType)) out.push(...instanceTypeRules(s.instanceType, s.acceptUnknownInstanceType));
  out.push(...imageSourceRules(s), ...scheduleRules(s, { name: s.name, limit: maxOwnerName("ImageBuilder") }));
  out.push(...licensedSoftwareRules(s.softwaresToInstall, "softwaresToInstall"), ...licensedSoftwareRules(s.softwaresToUninstall, "softwaresToUninstall"));
  out.push(...softwaresRules(s));
  const subnets = s.vpcConfig?.subnetIds?.length ?? 0;
  if (subnets > 1) {
    out.push({ code: "rule.image-builder", path: ["vpcConfig", "subnetIds", 1], message: "an image builder takes exactly one subnet" });
  }
  const agent = s.appstreamAgentVersion;
  if (agent !== undefined && agent !== LATEST_AGENT && /^\W*latest\W*$/i.test(agent)) {
    out.push({
      code: "rule.image-builder", path: ["appstreamAgentVersion"], hint: `write ${JSON.stringify(LATEST_AGENT)}`,
      message: `appstreamAgentVersion ${JSON.stringify(agent)} is no agent version: the API's value for the latest agent is ${LATEST_AGENT}`,
    });
  }
  if (NOT_FOR_BUILDERS.includes(s.instanceType)) {
    out.push({ code: "rule.instance-type", path: ["instanceType"], message: `${s.instanceType} is not offered for image builders` });
  }
  return out;
}


// ---------------------------------------------------------------------------------------------------
// Planning

const API_FIELDS = apiFieldNames(fields);
const ECHOED = [
  "Name", "InstanceType", "ImageArn", "Description", "DisplayName", "VpcConfig", "IamRoleArn", "EnableDefaultInternetAccess",
  "DomainJoinInfo", "AppstreamAgentVersion", "AccessEndpoints", "RootVolumeConfig", "DisableIMDSV1",
] as const;
/** States from which the builder comes up RUNNING on its own (§6.2). */
const COMING_UP = new Set(["PENDING", "UPDATING_AGENT", "PENDING_SYNCING_APPS", "SYNCING_APPS", "PENDING_IMAGE_IMPORT", "REBOOTING", "UPDATING", "PENDING_QUALIFICATION"]);
const isUp = (state: string | undefined): boolean => state === "RUNNING" || (state !== undefined && COMING_UP.has(state));

export function normalizeImageBuilder(ib: ImageBuilder): LiveResource {
  const spec = specFromApi(ib, ECHOED);
  spec.state = isUp(ib.State) ? "running" : "stopped";
  spec.latestAgent = ib.LatestAppstreamAgentVersion === "TRUE";
  const name = ib.Name ?? "";
  return {
    kind: "ImageBuilder", name, address: `ImageBuilder/${name}`, spec,
    ...(ib.Arn ? { arn: ib.Arn } : {}),
    ...(ib.State ? { state: ib.State } : {}),
    errors: [
      ...(ib.ImageBuilderErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
      ...(ib.StateChangeReason?.Code ? [{ code: ib.StateChangeReason.Code, message: ib.StateChangeReason.Message ?? "" }] : []),
    ],
    ...(ib.CreatedTime ? { createdTime: ib.CreatedTime.getTime() } : {}),
    // Only Windows builders can have license-included applications: their reads skip the others.
    ...(ib.Platform ? { facts: { platform: ib.Platform } } : {}),
  };
}

function startSteps(name: string, version: string | undefined): StepDraft[] {
  return [
    { id: "start", op: "image-builder.start", params: { Name: name, ...(version ? { AppstreamAgentVersion: version } : {}) } },
    waitStep("running", "image-builder", name, "RUNNING", []),
  ];
}

function restartGuard(name: string, region: string): Restore {
  return {
    guards: ["stopped", "start"],
    steps: [
      { id: "stopped", op: "wait", params: { kind: "image-builder", name, until: "STOPPED" } },
      { id: "start", op: "image-builder.start", params: { Name: name } },
      { id: "running", op: "wait", params: { kind: "image-builder", name, until: "RUNNING" } },
    ],
    leftIn: "STOPPED",
    manual: `aws appstream start-image-builder --name ${name} --region ${region}`,
  };
}

function stopSteps(name: string): StepDraft[] {
  return [{ id: "stop", op: "image-builder.stop", params: { Name: name } }, waitStep("stopped", "image-builder", name, "STOPPED", [])];
}

/** Every page of DescribeImageBuilders: the kind's read and its waiter share this one listing. */
async function describeBuilders(api: AppStreamApi, names?: string[]): Promise<ImageBuilder[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeImageBuilders", { ...(names ? { Names: names } : { MaxResults: UNBOUNDED_PAGE }), ...(token ? { NextToken: token } : {}) });
    return { items: out.ImageBuilders ?? [], next: out.NextToken };
  }, { label: "DescribeImageBuilders" });
}

const builderExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeImageBuilders", { Names: [name] })).ImageBuilders);

export const imageBuilder = defineKind<ImageBuilderSpec>()({
  connect: imageBuilderConnect,
  kind: "ImageBuilder",
  rank: 30,
  noun: "image builder",
  key: "imageBuilders",
  identity: "name",
  required: ["name", "instanceType"],
  taggable: true,
  ownership: "tag",
  description: "An image builder: the instance used to install applications and create images",
  fields,
  refs: [directoryRef()],
  softRefs: [imageSoftRef()],
  rules,
  runState: "image-builder",
  associations: [softwaresAssociation, scheduleAssociation("ImageBuilderSchedule")],
  // Builders: 60 min, the Terraform provider's timeout (§6.2).
  waiter: {
    kind: "image-builder",
    timeoutMs: 60 * 60_000,
    read: (api, names) => describeBuilders(api, names),
    name: (b: ImageBuilder) => b.Name ?? "",
    state: (b: ImageBuilder) => b.State ?? "UNKNOWN",
    problem(b: ImageBuilder, until: string) {
      if (b.State === "FAILED") {
        const why = errorCodes(b.ImageBuilderErrors) || [b.StateChangeReason?.Code, b.StateChangeReason?.Message].filter(Boolean).join(": ");
        return { message: `image builder ${b.Name} FAILED${why ? `: ${why}` : ""}`, fatal: true };
      }
      return offPath("image builder", b.Name ?? "", b.State ?? "", until);
    },
  },
  ops: {
    "image-builder.create": ((ctx, s) =>
      createOrRaced(
        () => withImage(ctx, s.params.ImageName, () => ctx.call("CreateImageBuilder", s.params, referring(ctx, s.address))),
        () => builderExists(ctx, param(s, "Name")),
      )) satisfies OpFn<CreateImageBuilderCommandInput>,
    "image-builder.start": (async (ctx, s) =>
      void (await ctx.call("StartImageBuilder", s.params, { ...TRANSITIONAL, resource: s.address }))) satisfies OpFn<StartImageBuilderCommandInput>,
    "image-builder.stop": (async (ctx, s) =>
      void (await ctx.call("StopImageBuilder", s.params, { ...TRANSITIONAL, resource: s.address }))) satisfies OpFn<StopImageBuilderCommandInput>,
    "image-builder.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DeleteImageBuilder", s.params, { allow: ["not-permitted-transitional"], resource: s.address }))) satisfies OpFn<DeleteImageBuilderCommandInput>,
  },
  arn: async (ctx, name, opts) => (await ctx.call("DescribeImageBuilders", { Names: [name] }, opts)).ImageBuilders?.[0]?.Arn,
  export: {
    // A builder echoes only the ARN (§6.1); the name reads better and compares the same (the projection).
    entry(spec) {
      if (typeof spec.imageArn !== "string" || spec.imageName !== undefined) return spec;
      const { imageArn, ...rest } = spec;
      return { ...rest, imageName: nameFromArn(imageArn) };
    },
    // With a schedule, the run state is the schedule's (declaring both is refused).
    finish: (entry) => (entry.schedule === undefined ? entry : (({ state: _state, ...rest }) => rest)(entry)),
  },
  holdsKind: "Image",
  holds(spec) {
    const image = imageOf(spec);
    return image === undefined ? undefined : { kind: "Image", name: image };
  },
  async read(ctx) {
    return (await describeBuilders(ctx.api)).map(normalizeImageBuilder);
  },
  async readOne(ctx, name) {
    const builder = (await ctx.api.call("DescribeImageBuilders", { Names: [name] })).ImageBuilders?.[0];
    return builder && normalizeImageBuilder(builder);
  },
  project(desired, live) {
    const l: Record<string, unknown> = { ...live };
    // The builder echoes only the image ARN (§6.1); compare on the name when the manifest gives one.
    if (desired.imageName !== undefined) {
      l.imageName = nameFromArn(live.imageArn as string | undefined);
      delete l.imageArn;
    }
    if (desired.appstreamAgentVersion === LATEST_AGENT && live.latestAgent) l.appstreamAgentVersion = LATEST_AGENT;
    delete l.latestAgent;
    return { desired: withScheduledState(desired, l), live: l };
  },
  create(d) {
    const steps: StepDraft[] = [
      { id: "create", op: "image-builder.create", params: { Name: d.name, ...apiFields(d.spec, API_FIELDS), ...(d.tags ? { Tags: d.tags } : {}) } },
      waitStep("running", "image-builder", d.name, "RUNNING", []),
    ];
    // A builder always comes up RUNNING after CreateImageBuilder (§6.2).
    if (stateAtCreate(d.spec) === "stopped") steps.push(...stopSteps(d.name));
    return chain(steps);
  },
  update: (sd, l, changes, ctx) => scheduledUpdate(sd, l, changes, (d) => {
    const wantUp = d.spec.state !== "stopped";
    const up = isUp(l.state);
    const agent = changes.find((c) => c.field === "appstreamAgentVersion");
    const steps: StepDraft[] = [];
    if (agent) {
      // A new agent version is applied by StartImageBuilder, so a running builder is stopped first; if
      // that start fails (or the apply is interrupted before it), the builder is started on its old agent.
      if (up) {
        const [stop, stopped] = stopSteps(d.name) as [StepDraft, StepDraft];
        steps.push(wantUp ? { ...stop, restore: restartGuard(d.name, ctx.region) } : stop, stopped);
      }
      steps.push(...startSteps(d.name, d.spec.appstreamAgentVersion as string | undefined));
      if (!wantUp) steps.push(...stopSteps(d.name).map((s) => ({ ...s, id: `${s.id}-again` })));
    } else if (wantUp && !up) {
      steps.push(...startSteps(d.name, undefined));
    } else if (!wantUp && up) {
      steps.push(...stopSteps(d.name));
    }
    const warnings = up && (agent || !wantUp) ? ["stopping the image builder ends any session connected to it"] : [];
    return { steps: chain(steps), disruption: "none", reason: "", warnings };
  }),
  remove(l) {
    const steps: StepDraft[] = [];
    if (isUp(l.state)) steps.push(...stopSteps(l.name));
    else if (l.state === "STOPPING") steps.push(waitStep("stopped", "image-builder", l.name, "STOPPED", []));
    steps.push({ id: "delete", op: "image-builder.delete", params: { Name: l.name } }, waitStep("gone", "image-builder", l.name, "GONE", []));
    return chain(steps);
  },
  // A builder in transition is not converged: the plan waits for the state it is heading to (§6.2).
  settle(l, d) {
    const until = l.state === "STOPPING" ? "STOPPED" : l.state !== "RUNNING" && isUp(l.state) ? "RUNNING" : undefined;
    // With a schedule, a builder starting or stopping is the schedule's doing: not waited for.
    if (!until || (scheduleMoves(d) && (l.state === "STOPPING" || l.state === "PENDING"))) return undefined;
    return {
      steps: [waitStep("settle", "image-builder", l.name, until, [])],
      diff: { path: "state", before: l.state, after: until, sensitive: false, why: "state" },
    };
  },
  replaceNote: () => "image builder fields are immutable: it is deleted and created again, and work inside it is lost",
});
