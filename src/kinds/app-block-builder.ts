/**
 * AppBlockBuilder (reference §12.4): the instance that packages applications into an APPSTREAM2 app block.
 * It is created STOPPED and starts only while associated with an app block (`appBlock`); a running builder
 * takes only a new display name and description, anything else is changed while it is stopped (ABB-08).
 */
import type { AppBlockBuilder } from "@aws-sdk/client-appstream";
import { tagRules } from "./common-rules.js";
import { appBlockBuilderConnect } from "./connect.js";
import type { FieldTable, LiveResource, ManifestView, RuleViolation } from "./contract.js";
import { PLATFORMS } from "./fleet.js";
import { defineKind } from "./kind.js";
import { accessEndpoints, arn, bool, ignoreChanges, name, oneOfEnum, openEnum, protect, str, tags, vpcConfig } from "./schema-dsl.js";
import { nameFromArn } from "./convert.js";
import { specFromApi, waitStep } from "./steps.js";
import {
  appBlockBuilderOps, appBlockBuilderWaiter, createSteps, describeAppBlockBuilders, describeAssociations, isUp, removeSteps, updateSteps,
} from "./app-block-builder-steps.js";

export interface AppBlockBuilderSpec {
  name: string;
  displayName?: string;
  description?: string;
  platform: string;
  instanceType: string;
  vpcConfig: { subnetIds?: string[]; securityGroupIds?: string[] };
  iamRoleArn?: string;
  enableDefaultInternetAccess?: boolean;
  disableIMDSV1?: boolean;
  accessEndpoints?: { endpointType: "STREAMING"; vpceId?: string }[];
  appBlock?: string;
  state?: "running" | "stopped";
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/** The one platform CreateAppBlockBuilder takes today (§12.4, S003:L1000); the API's enum is wider. */
export const ABB_PLATFORM = "WINDOWS_SERVER_2019";
/** The instance types of §12.4 (S003:L1010). */
export const ABB_INSTANCE_TYPES: readonly string[] = ["small", "medium", "large", "xlarge", "2xlarge"].map((s) => `stream.standard.${s}`);
/** The app block builders quota of an account (§12.4, DG); it can be raised, so more is only a warning. */
export const ABB_QUOTA = 10;

const fields: FieldTable<AppBlockBuilderSpec> = {
  name: { role: "identity", mode: "replace", schema: name("App block builder name (immutable)") },
  displayName: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 100 }) },
  description: { role: "api", mode: "live", awsDefault: "", schema: str({ max: 256 }) },
  platform: {
    role: "api", mode: "requires-stop",
    schema: openEnum(PLATFORMS, `Only ${ABB_PLATFORM} is accepted today (others are a warning: the API may grow)`),
  },
  instanceType: { role: "api", mode: "requires-stop", schema: str({ min: 1, description: "stream.standard.small … stream.standard.2xlarge" }) },
  vpcConfig: {
    role: "api", mode: "requires-stop", clear: { securityGroupIds: "VPC_CONFIGURATION_SECURITY_GROUP_IDS" },
    schema: vpcConfig(),
  },
  iamRoleArn: { role: "api", mode: "requires-stop", clear: "IAM_ROLE_ARN", schema: arn("Role the builder instance assumes") },
  enableDefaultInternetAccess: { role: "api", mode: "requires-stop", awsDefault: false, schema: bool() },
  disableIMDSV1: { role: "api", mode: "requires-stop", awsDefault: false, schema: bool() },
  accessEndpoints: { role: "api", mode: "requires-stop", clear: "ACCESS_ENDPOINTS", schema: accessEndpoints() },
  appBlock: {
    role: "api", mode: "requires-stop", removal: "unset",
    schema: name("The APPSTREAM2 app block this builder packages (associated while stopped; needed to start)"),
  },
  state: { role: "state", mode: "live", awsDefault: "stopped", schema: oneOfEnum(["running", "stopped"], "Desired run state (default stopped, as created)") },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: AppBlockBuilderSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = [...tagRules(s, m)];
  const code = "rule.app-block-builder" as const;
  // A platform this version does not know at all gets the generic unknown-value warning instead.
  if (typeof s.platform === "string" && s.platform !== ABB_PLATFORM && (PLATFORMS as readonly string[]).includes(s.platform)) {
    out.push({ code, severity: "warning", path: ["platform"], message: `app block builders take only ${ABB_PLATFORM} today; AWS may refuse ${s.platform}` });
  }
  if (typeof s.instanceType === "string" && !ABB_INSTANCE_TYPES.includes(s.instanceType)) {
    out.push(s.instanceType.startsWith("stream.standard.")
      ? { code, severity: "warning", path: ["instanceType"], message: `${s.instanceType} is not a stream.standard size this version knows for app block builders` }
      : { code, path: ["instanceType"], message: `app block builders take only stream.standard.* instance types (${ABB_INSTANCE_TYPES.join(", ")})` });
  }
  const subnets = s.vpcConfig?.subnetIds ?? [];
  if (new Set(subnets).size < 2) {
    out.push({ code, path: ["vpcConfig", "subnetIds"], message: "an app block builder needs at least two subnets, in different availability zones" });
  }
  if (s.state === "running" && s.appBlock === undefined) {
    out.push({ code, path: ["state"], message: "an app block builder starts only while associated with an app block", hint: "give appBlock, or state: stopped" });
  }
  const index = m.entries("appBlockBuilders").findIndex((e) => e.name === s.name);
  if (index >= ABB_QUOTA) {
    out.push({
      code, severity: "warning", path: ["name"],
      message: `app block builder ${index + 1} of the manifest: the default quota is ${ABB_QUOTA} per account and region`,
      hint: "ask AWS for a higher quota before applying",
    });
  }
  return out;
}

const ECHOED = [
  "Name", "DisplayName", "Description", "Platform", "InstanceType", "VpcConfig", "IamRoleArn", "EnableDefaultInternetAccess", "AccessEndpoints", "DisableIMDSV1",
] as const;

/** A described builder in manifest shape; `block` is the ARN of its app block, if it has one. */
export function normalizeAppBlockBuilder(b: AppBlockBuilder, block?: string): LiveResource {
  const spec = specFromApi(b, ECHOED);
  if (block) spec.appBlock = nameFromArn(block);
  spec.state = isUp(b.State) ? "running" : "stopped";
  const name = b.Name ?? "";
  return {
    kind: "AppBlockBuilder", name, address: `AppBlockBuilder/${name}`, spec,
    ...(b.Arn ? { arn: b.Arn } : {}),
    ...(b.State ? { state: b.State } : {}),
    errors: [
      ...(b.AppBlockBuilderErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
      ...(b.StateChangeReason?.Code ? [{ code: b.StateChangeReason.Code, message: b.StateChangeReason.Message ?? "" }] : []),
    ],
    ...(b.CreatedTime ? { createdTime: b.CreatedTime.getTime() } : {}),
  };
}

export const appBlockBuilder = defineKind<AppBlockBuilderSpec>()({
  connect: appBlockBuilderConnect,
  kind: "AppBlockBuilder",
  // After the app blocks it packages (created first, deleted after the builder lets go of them).
  rank: 36,
  noun: "app block builder",
  key: "appBlockBuilders",
  identity: "name",
  required: ["name", "platform", "instanceType", "vpcConfig"],
  taggable: true,
  ownership: "tag",
  description: "An app block builder: the instance that packages applications into an APPSTREAM2 app block",
  fields,
  refs: [],
  // The builder's app block is associated once it exists: one of the manifest is created first.
  softRefs: [{ target: "appBlocks", names: (s) => (s.appBlock ? [s.appBlock] : []) }],
  rules,
  runState: "app-block-builder",
  waiter: appBlockBuilderWaiter,
  ops: appBlockBuilderOps,
  arn: async (ctx, name, opts) => (await ctx.call("DescribeAppBlockBuilders", { Names: [name] }, opts)).AppBlockBuilders?.[0]?.Arn,
  async read(ctx) {
    const builders = await describeAppBlockBuilders(ctx.api);
    // Most estates have no builder: then the associations are not read at all.
    if (builders.length === 0) return [];
    const blocks = await describeAssociations(ctx.api);
    return builders.map((b) => normalizeAppBlockBuilder(b, blocks.get(b.Name ?? "")));
  },
  async readOne(ctx, name) {
    const b = (await ctx.api.call("DescribeAppBlockBuilders", { Names: [name] })).AppBlockBuilders?.[0];
    if (!b) return undefined;
    return normalizeAppBlockBuilder(b, (await describeAssociations(ctx.api, name)).get(name));
  },
  create: (d) => createSteps(fields, d),
  update: (d, l, changes, ctx) => updateSteps(fields, d, l, changes, ctx),
  remove: (l) => removeSteps(l),
  // A builder in transition is not converged: the plan waits for the state it is heading to.
  settle(l) {
    const until = l.state === "STARTING" ? "RUNNING" : l.state === "STOPPING" ? "STOPPED" : undefined;
    if (!until) return undefined;
    return {
      steps: [waitStep("settle", "app-block-builder", l.name, until, [])],
      diff: { path: "state", before: l.state, after: until, sensitive: false, why: "state" },
    };
  },
  replaceNote: () => "an app block builder's name is immutable: it is deleted and created again (nothing on its instance is kept anyway)",
});
