/**
 * App block builders (reference §12.4): Create, Update, Describe, Delete, Start, Stop and
 * CreateAppBlockBuilderStreamingURL. State machine: created STOPPED; STOPPED --Start--> STARTING → RUNNING;
 * RUNNING --Stop--> STOPPING → STOPPED; Delete (STOPPED, no association) removes it at once (the API has no
 * DELETING state). The first state of each transition is entered before the response; the rest follow the
 * time-scaled durations. Stopping a builder that ran stores the package it built on its APPSTREAM2 app block
 * (app-blocks.ts). Rules ABB-xx in SPEC.md; the wrong-state errors are listed there under "Guesses".
 */
import type {
  CreateAppBlockBuilderRequest,
  CreateAppBlockBuilderStreamingURLRequest,
  DeleteAppBlockBuilderRequest,
  DescribeAppBlockBuildersRequest,
  StartAppBlockBuilderRequest,
  StopAppBlockBuilderRequest,
  UpdateAppBlockBuilderRequest,
} from "@aws-sdk/client-appstream";
import { associationOf, findAppBlockByArn, recordPackaging } from "./app-blocks.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { ApiError, alreadyExists, badCombination, inUse, limitExceeded, notFound, notPermitted } from "./errors.js";
import { stateOf } from "./images.js";
import { epoch, streamingUrlAnswer } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { selectByNames } from "./select.js";
import { arnOf, type BaseRecord, type Table } from "./store.js";
import { dropTags, storeCreateTags } from "./tags.js";
import { begin, rest, type Lifecycle } from "./transitions.js";

type Vpc = { SubnetIds?: string[]; SecurityGroupIds?: string[] };
type Endpoint = { EndpointType: string; VpceId?: string };

/** The API `AppBlockBuilder` members the emulator stores (State, CreatedTime and errors are computed). */
export interface AppBlockBuilderAttrs {
  Name: string;
  Arn: string;
  DisplayName?: string;
  Description?: string;
  Platform: string;
  InstanceType: string;
  EnableDefaultInternetAccess: boolean;
  IamRoleArn?: string;
  VpcConfig: Vpc;
  AccessEndpoints?: Endpoint[];
  DisableIMDSV1?: boolean;
}

/** A start that fails (control-API fault): the builder falls back to STOPPED at `at` with this error. */
export interface BuilderFailure {
  at: number;
  errorCode: string;
  message: string;
}

/** A stored app block builder. */
export interface AppBlockBuilderRecord extends BaseRecord {
  attrs: AppBlockBuilderAttrs;
  lifecycle: Lifecycle;
  /** The last failed start, shown as StateChangeReason and AppBlockBuilderErrors once due (ABB-13). */
  failure?: BuilderFailure;
  /** Control-API fault: the next start fails with this error code and message. */
  failNextStart?: { errorCode: string; message: string };
}

/** Reference §12.4 (S003:L1010): the instance types an app block builder may use. */
const INSTANCE_TYPES: ReadonlySet<string> = new Set(["small", "medium", "large", "xlarge", "2xlarge"].map((s) => `stream.standard.${s}`));

/** Reference §12.4 (S003:L1000): WINDOWS_SERVER_2019 is the only valid platform (Update's enum is wider). */
const PLATFORM = "WINDOWS_SERVER_2019";

/** An IAM role ARN; anything else is an invalid role (reference §14.1 InvalidRoleException). */
const ROLE_ARN = /^arn:aws(-[a-z-]+)?:iam::\d{12}:role\/.+$/;

/** Reference §12.4: default validity of a streaming URL, in seconds. */
const DEFAULT_URL_VALIDITY = 3600;

/** The app block builders of the request's region. */
export function appBlockBuildersOf(ctx: Pick<OpContext, "store" | "region">): Table<AppBlockBuilderRecord> {
  return ctx.store.table<AppBlockBuilderRecord>(ctx.region, "appBlockBuilders");
}

/** A builder by name (mutations see through eventual consistency); RNFE when absent (ABB-04). */
export function requireAppBlockBuilder(ctx: OpContext, name: unknown): AppBlockBuilderRecord {
  const rec = typeof name === "string" ? appBlockBuildersOf(ctx)[name] : undefined;
  if (!rec) throw notFound(`The app block builder ${String(name)} does not exist.`);
  return rec;
}

/** ABB-09: STARTING and STOPPING refuse every change. */
function checkNotInTransition(rec: AppBlockBuilderRecord, state: string): void {
  if (state === "STARTING" || state === "STOPPING") {
    throw new ApiError("ConcurrentModificationException", `The app block builder ${rec.attrs.Name} is ${state}. Wait until it is RUNNING or STOPPED, then try again.`);
  }
}

/** The API `AppBlockBuilder` shape (ABB-02). `stateOverride` shows the first state of a transition that time scale 0 skips. */
export function appBlockBuilderView(ctx: OpContext, rec: AppBlockBuilderRecord, stateOverride?: string): Record<string, unknown> {
  const state = stateOverride ?? stateOf(ctx, rec.lifecycle);
  const failed = rec.failure && rec.failure.at <= ctx.now ? rec.failure : undefined;
  return {
    ...rec.attrs,
    State: state,
    CreatedTime: epoch(rec.createdAt),
    AppBlockBuilderErrors: failed ? [{ ErrorCode: failed.errorCode, ErrorMessage: failed.message, ErrorTimestamp: epoch(failed.at) }] : undefined,
    StateChangeReason: failed ? { Code: "INTERNAL_ERROR", Message: failed.message } : undefined,
  };
}

/** ABB-05..ABB-07: the rules the model states in prose, shared by Create and Update. */
function checkSettings(input: { InstanceType?: string; Platform?: string; VpcConfig?: Vpc; IamRoleArn?: string }): void {
  if (input.InstanceType !== undefined && !INSTANCE_TYPES.has(input.InstanceType)) {
    throw badCombination(`The instance type ${input.InstanceType} is not supported for app block builders; use a stream.standard instance type.`);
  }
  if (input.Platform !== undefined && input.Platform !== PLATFORM) {
    throw badCombination(`The platform ${input.Platform} is not supported for app block builders; ${PLATFORM} is the only valid value.`);
  }
  if (input.VpcConfig !== undefined && new Set(input.VpcConfig.SubnetIds ?? []).size < 2) {
    throw badCombination("App block builders require at least two subnets in different availability zones.");
  }
  if (input.IamRoleArn !== undefined && !ROLE_ARN.test(input.IamRoleArn)) {
    throw new ApiError("InvalidRoleException", `The specified role ${input.IamRoleArn} is invalid.`);
  }
}

const createAppBlockBuilder = op<CreateAppBlockBuilderRequest>((ctx, input) => {
  const builders = appBlockBuildersOf(ctx);
  const name = String(input.Name);
  if (builders[name]) throw alreadyExists(`The app block builder ${name} already exists.`);
  if (Object.keys(builders).length >= ctx.config.quotas.appBlockBuilders) {
    throw limitExceeded(`The requested limit exceeds the permitted limit for an account: app block builders (${ctx.config.quotas.appBlockBuilders}).`);
  }
  checkSettings(input);
  const attrs: AppBlockBuilderAttrs = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "app-block-builder", name),
    DisplayName: input.DisplayName,
    Description: input.Description,
    Platform: String(input.Platform),
    InstanceType: String(input.InstanceType),
    EnableDefaultInternetAccess: input.EnableDefaultInternetAccess ?? false,
    IamRoleArn: input.IamRoleArn,
    VpcConfig: input.VpcConfig as Vpc,
    AccessEndpoints: input.AccessEndpoints as Endpoint[] | undefined,
    DisableIMDSV1: input.DisableIMDSV1,
  };
  const rec: AppBlockBuilderRecord = { attrs, createdAt: ctx.now, lifecycle: rest(ctx.now, "STOPPED"), visibleAt: visibleAtFor(ctx) };
  builders[name] = rec;
  storeCreateTags(ctx, attrs.Arn, input.Tags);
  return { AppBlockBuilder: appBlockBuilderView(ctx, rec) };
});

/** Members UpdateAppBlockBuilder accepts while RUNNING (reference §12.4, S003:L6533). */
const RUNNING_MEMBERS: ReadonlySet<string> = new Set(["Name", "DisplayName", "Description"]);

/** AppBlockBuilderAttribute → what it clears (reference §12.4, S003:L6562). */
const CLEARS: Record<string, (a: AppBlockBuilderAttrs) => void> = {
  IAM_ROLE_ARN: (a) => delete a.IamRoleArn,
  ACCESS_ENDPOINTS: (a) => delete a.AccessEndpoints,
  VPC_CONFIGURATION_SECURITY_GROUP_IDS: (a) => {
    const { SecurityGroupIds: _dropped, ...vpc } = a.VpcConfig;
    a.VpcConfig = vpc;
  },
};

/** Whether the request both sets and deletes what `attribute` names (ABB-08). */
function setAndDeleted(input: UpdateAppBlockBuilderRequest, attribute: string): boolean {
  if (attribute === "IAM_ROLE_ARN") return input.IamRoleArn !== undefined;
  if (attribute === "ACCESS_ENDPOINTS") return input.AccessEndpoints !== undefined;
  return input.VpcConfig?.SecurityGroupIds !== undefined;
}

const updateAppBlockBuilder = op<UpdateAppBlockBuilderRequest>((ctx, input, raw) => {
  const rec = requireAppBlockBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  checkNotInTransition(rec, state);
  const deletes = input.AttributesToDelete ?? [];
  if (state === "RUNNING") {
    const other = Object.keys(raw).find((k) => raw[k] !== undefined && raw[k] !== null && !RUNNING_MEMBERS.has(k));
    if (other !== undefined) {
      throw inUse(`Cannot update ${other} of app block builder ${rec.attrs.Name} while it is RUNNING; only DisplayName and Description can be updated. Stop it first.`);
    }
  }
  for (const a of deletes) {
    if (setAndDeleted(input, a)) throw badCombination(`The attribute ${a} cannot be both set and deleted in the same request.`);
  }
  checkSettings(input);
  const next: AppBlockBuilderAttrs = structuredClone(rec.attrs);
  for (const a of deletes) CLEARS[a]?.(next);
  if (input.DisplayName !== undefined) next.DisplayName = input.DisplayName;
  if (input.Description !== undefined) next.Description = input.Description;
  if (input.Platform !== undefined) next.Platform = input.Platform;
  if (input.InstanceType !== undefined) next.InstanceType = input.InstanceType;
  if (input.VpcConfig !== undefined) {
    // A VpcConfig without SecurityGroupIds keeps the current groups (they are cleared only by AttributesToDelete).
    const groups = input.VpcConfig.SecurityGroupIds ?? next.VpcConfig.SecurityGroupIds;
    next.VpcConfig = { SubnetIds: input.VpcConfig.SubnetIds, ...(groups ? { SecurityGroupIds: groups } : {}) };
  }
  if (input.EnableDefaultInternetAccess !== undefined) next.EnableDefaultInternetAccess = input.EnableDefaultInternetAccess;
  if (input.IamRoleArn !== undefined) next.IamRoleArn = input.IamRoleArn;
  if (input.AccessEndpoints !== undefined) next.AccessEndpoints = input.AccessEndpoints as Endpoint[];
  if (input.DisableIMDSV1 !== undefined) next.DisableIMDSV1 = input.DisableIMDSV1;
  rec.attrs = next;
  return { AppBlockBuilder: appBlockBuilderView(ctx, rec) };
});

const describeAppBlockBuilders = op<DescribeAppBlockBuildersRequest>((ctx, input) => {
  const names = input.Names ?? [];
  const list = selectByNames(appBlockBuildersOf(ctx), names, ctx.now, (n) => notFound(`The app block builder ${n} does not exist.`), (r) => r.attrs.Name);
  const page = paginate(list, `DescribeAppBlockBuilders|${names.join(",")}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { AppBlockBuilders: page.items.map((r) => appBlockBuilderView(ctx, r)), NextToken: page.nextToken };
});

const startAppBlockBuilder = op<StartAppBlockBuilderRequest>((ctx, input) => {
  const rec = requireAppBlockBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  checkNotInTransition(rec, state);
  if (state !== "STOPPED") throw notPermitted(`The app block builder ${rec.attrs.Name} is ${state}; only a STOPPED app block builder can be started.`);
  if (!associationOf(ctx, rec.attrs.Name)) {
    throw notPermitted(`The app block builder ${rec.attrs.Name} is not associated with an app block; associate one before starting it.`);
  }
  const { durations } = ctx.config;
  const fault = rec.failNextStart;
  delete rec.failNextStart;
  delete rec.failure;
  if (fault) {
    // ABB-13: the instance never comes up; the builder falls back to STOPPED with the reason.
    rec.lifecycle = begin(ctx.now, "STARTING", [{ state: "STOPPED", durationMs: durations.appBlockBuilderStart }], ctx.config.timeScale);
    rec.failure = { at: rec.lifecycle.steps[0]!.at, errorCode: fault.errorCode, message: fault.message };
  } else {
    rec.lifecycle = begin(ctx.now, "STARTING", [{ state: "RUNNING", durationMs: durations.appBlockBuilderStart }], ctx.config.timeScale);
  }
  return { AppBlockBuilder: appBlockBuilderView(ctx, rec, "STARTING") };
});

const stopAppBlockBuilder = op<StopAppBlockBuilderRequest>((ctx, input) => {
  const rec = requireAppBlockBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  checkNotInTransition(rec, state);
  if (state !== "RUNNING") throw notPermitted(`The app block builder ${rec.attrs.Name} is ${state}; only a RUNNING app block builder can be stopped.`);
  rec.lifecycle = begin(ctx.now, "STOPPING", [{ state: "STOPPED", durationMs: ctx.config.durations.appBlockBuilderStop }], ctx.config.timeScale);
  // AB-05: the package built during this run is stored on the associated block when the builder is STOPPED.
  const block = findAppBlockByArn(ctx, associationOf(ctx, rec.attrs.Name)?.AppBlockArn);
  if (block && block.attrs.PackagingType === "APPSTREAM2") recordPackaging(block, rec.lifecycle.steps[0]!.at);
  return { AppBlockBuilder: appBlockBuilderView(ctx, rec, "STOPPING") };
});

const deleteAppBlockBuilder = op<DeleteAppBlockBuilderRequest>((ctx, input) => {
  const rec = requireAppBlockBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  checkNotInTransition(rec, state);
  if (state !== "STOPPED") throw inUse(`Cannot delete app block builder ${rec.attrs.Name} when it is ${state}. It must be stopped first.`);
  const assoc = associationOf(ctx, rec.attrs.Name);
  if (assoc) throw inUse(`The app block builder ${rec.attrs.Name} is associated with the app block ${assoc.AppBlockArn}; disassociate it first.`);
  delete appBlockBuildersOf(ctx)[rec.attrs.Name];
  dropTags(ctx, rec.attrs.Arn);
  return {};
});

const createAppBlockBuilderStreamingURL = op<CreateAppBlockBuilderStreamingURLRequest>((ctx, input) => {
  const rec = requireAppBlockBuilder(ctx, input.AppBlockBuilderName);
  const state = stateOf(ctx, rec.lifecycle);
  if (state !== "RUNNING") throw notPermitted(`The app block builder ${rec.attrs.Name} is ${state}; connecting needs a RUNNING app block builder.`);
  // The 1–604800 range is a prose limit that request validation enforces (VAL-07).
  const validity = input.Validity ?? DEFAULT_URL_VALIDITY;
  return streamingUrlAnswer(ctx, { appBlockBuilder: rec.attrs.Name }, validity);
});

/** App block builder operations for the registry in ops.ts. */
export const appBlockBuilderOps: Record<string, OpHandler> = {
  CreateAppBlockBuilder: createAppBlockBuilder,
  UpdateAppBlockBuilder: updateAppBlockBuilder,
  DescribeAppBlockBuilders: describeAppBlockBuilders,
  DeleteAppBlockBuilder: deleteAppBlockBuilder,
  StartAppBlockBuilder: startAppBlockBuilder,
  StopAppBlockBuilder: stopAppBlockBuilder,
  CreateAppBlockBuilderStreamingURL: createAppBlockBuilderStreamingURL,
};
