/**
 * ImageBuilder (reference §6). There is no UpdateImageBuilder: every attribute is immutable except the
 * run state (Start/Stop) and the agent version, which StartImageBuilder accepts — so a new agent version
 * means stop → start, and anything else means replace, which loses the work inside the builder.
 */
import type { ImageBuilder } from "@aws-sdk/client-appstream";
import { collect } from "../aws/paginate.js";
import { directoryRef, domainJoinRules, imageSoftRef, imageSourceRules, instanceTypeRules, tagRules } from "./common-rules.js";
import type { FieldTable, KindPlanner, ListedKind, LiveResource, ManifestView, RuleViolation, StepDraft } from "./contract.js";
import { nameFromArn } from "./convert.js";
import { apiFieldNames, apiFields, chain, specFromApi, waitStep } from "./steps.js";
import {
  accessEndpoints, arn, bool, domainJoinInfo, ignoreChanges, imageSelector, int, list, name, obj, oneOfEnum, protect, str, tags, vpcConfig,
} from "./schema-dsl.js";

export interface ImageBuilderSpec {
  name: string;
  instanceType: string;
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
  disableIMDSV1?: boolean;
  state?: "running" | "stopped";
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/** Image builders take the fleet instance types except the two largest standard sizes (§3.6). */
const NOT_FOR_BUILDERS = ["stream.standard.xlarge", "stream.standard.2xlarge"];

const fields: FieldTable<ImageBuilderSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Image builder name (immutable)") },
  instanceType: { role: "api", mode: "replace", schema: str({ min: 1, description: "e.g. stream.standard.medium" }) },
  imageName: { role: "api", mode: "replace", schema: str({ min: 1, description: "Base image (one of imageName, imageArn, imageSelector)" }) },
  imageArn: { role: "api", mode: "replace", schema: arn("Base image ARN") },
  imageSelector: { role: "selector", mode: "replace", schema: imageSelector() },
  description: { role: "api", mode: "replace", schema: str({ max: 256 }) },
  displayName: { role: "api", mode: "replace", schema: str({ max: 100 }) },
  vpcConfig: { role: "api", mode: "replace", schema: vpcConfig() },
  iamRoleArn: { role: "api", mode: "replace", schema: arn("Role the builder instance assumes") },
  enableDefaultInternetAccess: { role: "api", mode: "replace", awsDefault: false, schema: bool() },
  domainJoinInfo: { role: "api", mode: "replace", schema: domainJoinInfo() },
  appstreamAgentVersion: {
    role: "api", mode: "requires-stop",
    schema: str({ min: 1, max: 100, description: "Agent version, or [LATEST]; applied by stop → start" }),
  },
  accessEndpoints: { role: "api", mode: "replace", schema: accessEndpoints() },
  rootVolumeConfig: { role: "api", mode: "replace", schema: obj({ volumeSizeInGb: int(200, 500) }) },
  softwaresToInstall: { role: "api", mode: "replace", schema: list(str({ min: 1 }), { unique: true, description: "License-included applications to install" }) },
  softwaresToUninstall: { role: "api", mode: "replace", schema: list(str({ min: 1 }), { unique: true }) },
  disableIMDSV1: { role: "api", mode: "replace", schema: bool() },
  state: {
    role: "state", mode: "live", awsDefault: "running",
    schema: oneOfEnum(["running", "stopped"], "Desired run state (default running)"),
  },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: ImageBuilderSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [...tagRules(s, m), ...domainJoinRules(s, m)];
  if (!NOT_FOR_BUILDERS.includes(s.instanceType)) out.push(...instanceTypeRules(s.instanceType));
  out.push(...imageSourceRules(s));
  const subnets = s.vpcConfig?.subnetIds?.length ?? 0;
  if (subnets > 1) {
    out.push({ code: "rule.image-builder", path: ["vpcConfig", "subnetIds", 1], message: "an image builder takes exactly one subnet" });
  }
  if (NOT_FOR_BUILDERS.includes(s.instanceType)) {
    out.push({ code: "rule.instance-type", path: ["instanceType"], message: `${s.instanceType} is not offered for image builders` });
  }
  return out;
}

export const imageBuilderKind: ListedKind<ImageBuilderSpec> = {
  kind: "ImageBuilder",
  key: "imageBuilders",
  identity: "name",
  required: ["name", "instanceType"],
  taggable: true,
  description: "An image builder: the instance used to install applications and create images",
  fields,
  refs: [directoryRef()],
  softRefs: [imageSoftRef()],
  rules,
};

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
  };
}

function startSteps(name: string, version: string | undefined): StepDraft[] {
  return [
    { id: "start", op: "image-builder.start", params: { Name: name, ...(version ? { AppstreamAgentVersion: version } : {}) } },
    waitStep("running", "image-builder", name, "RUNNING", []),
  ];
}

function stopSteps(name: string): StepDraft[] {
  return [{ id: "stop", op: "image-builder.stop", params: { Name: name } }, waitStep("stopped", "image-builder", name, "STOPPED", [])];
}

export const imageBuilderPlanner: KindPlanner = {
  kind: "ImageBuilder",
  fields,
  taggable: true,
  async read(ctx) {
    const builders = await collect(async (token) => {
      const out = await ctx.api.call("DescribeImageBuilders", token ? { NextToken: token } : {});
      return { items: out.ImageBuilders ?? [], next: out.NextToken };
    }, { label: "DescribeImageBuilders" });
    return builders.map(normalizeImageBuilder);
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
    if (desired.appstreamAgentVersion === "[LATEST]" && live.latestAgent) l.appstreamAgentVersion = "[LATEST]";
    // Software lists are not echoed by DescribeImageBuilders, so they cannot drift.
    l.softwaresToInstall = desired.softwaresToInstall;
    l.softwaresToUninstall = desired.softwaresToUninstall;
    delete l.latestAgent;
    return { desired, live: l };
  },
  create(d) {
    const steps: StepDraft[] = [
      { id: "create", op: "image-builder.create", params: { Name: d.name, ...apiFields(d.spec, API_FIELDS), ...(d.tags ? { Tags: d.tags } : {}) } },
      waitStep("running", "image-builder", d.name, "RUNNING", []),
    ];
    // A builder always comes up RUNNING after CreateImageBuilder (§6.2).
    if (d.spec.state === "stopped") steps.push(...stopSteps(d.name));
    return chain(steps);
  },
  update(d, l, changes) {
    const wantUp = d.spec.state !== "stopped";
    const up = isUp(l.state);
    const agent = changes.find((c) => c.field === "appstreamAgentVersion");
    const steps: StepDraft[] = [];
    if (agent) {
      // A new agent version is applied by StartImageBuilder, so a running builder is stopped first.
      if (up) steps.push(...stopSteps(d.name));
      steps.push(...startSteps(d.name, d.spec.appstreamAgentVersion as string | undefined));
      if (!wantUp) steps.push(...stopSteps(d.name).map((s) => ({ ...s, id: `${s.id}-again` })));
    } else if (wantUp && !up) {
      steps.push(...startSteps(d.name, undefined));
    } else if (!wantUp && up) {
      steps.push(...stopSteps(d.name));
    }
    const warnings = up && (agent || !wantUp) ? ["stopping the image builder ends any session connected to it"] : [];
    return { steps: chain(steps), disruption: "none", reason: "", warnings };
  },
  remove(l) {
    const steps: StepDraft[] = [];
    if (isUp(l.state)) steps.push(...stopSteps(l.name));
    else if (l.state === "STOPPING") steps.push(waitStep("stopped", "image-builder", l.name, "STOPPED", []));
    steps.push({ id: "delete", op: "image-builder.delete", params: { Name: l.name } }, waitStep("gone", "image-builder", l.name, "GONE", []));
    return chain(steps);
  },
  replaceNote: () => "image builder fields are immutable: it is deleted and created again, and work inside it is lost",
};
