/**
 * Image builders (reference §6): Create, Describe, Start, Stop, Delete and CreateImageBuilderStreamingURL.
 * State machine (reference §6.2): created PENDING → RUNNING; RUNNING --Stop--> STOPPING → STOPPED;
 * STOPPED --Start--> PENDING → RUNNING; STOPPED or FAILED --Delete--> DELETING → gone. The first state of
 * each transition is entered before the response; the rest follow the time-scaled durations.
 * Rules IB-xx in SPEC.md; wrong-state errors are listed there under "Guesses".
 */
import { createHash } from "node:crypto";
import type {
  CreateImageBuilderRequest,
  CreateImageBuilderStreamingURLRequest,
  DeleteImageBuilderRequest,
  DescribeImageBuildersRequest,
  StartImageBuilderRequest,
  StopImageBuilderRequest,
} from "@aws-sdk/client-appstream";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { requireDirectory } from "./directory-configs.js";
import { ApiError, alreadyExists, badCombination, limitExceeded, notFound, notPermitted } from "./errors.js";
import { GONE, stateOf, sweepImages } from "./images.js";
import { epoch, streamingUrlAnswer } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { buildersOf, requireBuilder, type ImageBuilderAttrs, type ImageBuilderRecord } from "./image-builder-record.js";
import { selectByNames } from "./select.js";
import { installAtCreate } from "./software.js";
import { arnOf } from "./store.js";
import { storeCreateTags } from "./tags.js";
import { begin } from "./transitions.js";

export { buildersOf, requireBuilder, type ImageBuilderAttrs, type ImageBuilderRecord } from "./image-builder-record.js";

/** A stable fake ENI for a running builder, derived from its ARN so repeated Describes agree. */
function networkAccess(arn: string): Record<string, string> {
  const h = createHash("sha256").update(arn).digest();
  return { EniPrivateIpAddress: `10.0.${h[0]}.${(h[1] ?? 0) % 250 + 4}`, EniId: `eni-${h.toString("hex").slice(0, 17)}` };
}

/** The API `ImageBuilder` shape (IB-02). `stateOverride` shows the first state of a transition that time scale 0 skips. */
export function builderView(ctx: OpContext, rec: ImageBuilderRecord, stateOverride?: string): Record<string, unknown> {
  const state = stateOverride ?? stateOf(ctx, rec.lifecycle);
  return {
    ...rec.attrs,
    State: state,
    CreatedTime: epoch(rec.createdAt),
    NetworkAccessConfiguration: state === "RUNNING" ? networkAccess(rec.attrs.Arn) : undefined,
    ImageBuilderErrors: [],
    LatestAppstreamAgentVersion: rec.attrs.AppstreamAgentVersion === "[LATEST]" ? "TRUE" : "FALSE",
  };
}

/** Resolves ImageName/ImageArn to an AVAILABLE image this account may build from (IB-05..IB-07). */
function resolveImage(ctx: OpContext, input: CreateImageBuilderRequest) {
  if (input.ImageName !== undefined && input.ImageArn !== undefined) throw badCombination("Specify either ImageName or ImageArn, not both.");
  const ref = input.ImageName ?? input.ImageArn;
  if (ref === undefined) throw badCombination("Either ImageName or ImageArn is required to create an image builder.");
  sweepImages(ctx);
  const found = ctx.store.findImage(ctx.region, ref);
  // Images are regional (reference §7.4): an ARN of another region's image names nothing here.
  const elsewhere = found !== undefined && !found.record.attrs.Arn.startsWith(`arn:aws:appstream:${ctx.region}:`);
  if (!found || elsewhere) throw notFound(`The image ${ref} for account ${ctx.account} does not exist.`);
  const { attrs } = found.record;
  if (found.state !== "AVAILABLE") {
    throw new ApiError("ResourceNotAvailableException", `The image ${attrs.Name} is ${found.state}; only AVAILABLE images can be used.`);
  }
  const perms = attrs.ImagePermissions as { allowImageBuilder?: boolean } | undefined;
  if (attrs.Visibility === "SHARED" && perms?.allowImageBuilder !== true) {
    // Reference §7.4: a shared image needs allowImageBuilder to be used for builders.
    throw notPermitted(`The shared image ${attrs.Name} does not allow image builders.`);
  }
  return found.record;
}

const createImageBuilder = op<CreateImageBuilderRequest>((ctx, input) => {
  const builders = buildersOf(ctx);
  const name = String(input.Name);
  if (builders[name]) throw alreadyExists(`The image builder ${name} already exists.`);
  if (Object.keys(builders).length >= ctx.config.quotas.imageBuilders) {
    throw limitExceeded(`The requested limit exceeds the permitted limit for an account: image builders (${ctx.config.quotas.imageBuilders}).`);
  }
  // Reference §6.1 (S001:L1929): an image builder uses exactly one subnet.
  if ((input.VpcConfig?.SubnetIds?.length ?? 0) > 1) throw badCombination("An image builder can use only one subnet; specify a single SubnetId.");
  const image = resolveImage(ctx, input);
  const directory = input.DomainJoinInfo?.DirectoryName;
  if (directory !== undefined) requireDirectory(ctx, directory);
  const attrs: ImageBuilderAttrs = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "image-builder", name),
    ImageArn: image.attrs.Arn,
    InstanceType: String(input.InstanceType),
    Platform: image.attrs.Platform,
    Description: input.Description,
    DisplayName: input.DisplayName,
    VpcConfig: input.VpcConfig,
    IamRoleArn: input.IamRoleArn,
    EnableDefaultInternetAccess: input.EnableDefaultInternetAccess ?? false,
    DomainJoinInfo: input.DomainJoinInfo,
    AppstreamAgentVersion: input.AppstreamAgentVersion ?? (image.attrs.AppstreamAgentVersion as string | undefined),
    AccessEndpoints: input.AccessEndpoints as ImageBuilderAttrs["AccessEndpoints"],
    RootVolumeConfig: input.RootVolumeConfig,
    DisableIMDSV1: input.DisableIMDSV1,
  };
  const rec: ImageBuilderRecord = {
    attrs,
    createdAt: ctx.now,
    lifecycle: begin(ctx.now, "PENDING", [{ state: "RUNNING", durationMs: ctx.config.durations.imageBuilderStart }], ctx.config.timeScale),
    visibleAt: visibleAtFor(ctx),
  };
  installAtCreate(ctx, rec, input.SoftwaresToInstall, ctx.config.durations.imageBuilderStart);
  builders[name] = rec;
  storeCreateTags(ctx, attrs.Arn, input.Tags);
  return { ImageBuilder: builderView(ctx, rec, "PENDING") };
});

const describeImageBuilders = op<DescribeImageBuildersRequest>((ctx, input) => {
  const builders = buildersOf(ctx);
  const names = input.Names ?? [];
  const list = selectByNames(builders, names, ctx.now, (n) => notFound(`The image builder ${n} does not exist.`), (r) => r.attrs.Name);
  const page = paginate(list, `DescribeImageBuilders|${names.join(",")}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { ImageBuilders: page.items.map((r) => builderView(ctx, r)), NextToken: page.nextToken };
});

const startImageBuilder = op<StartImageBuilderRequest>((ctx, input) => {
  const rec = requireBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  if (state !== "STOPPED") {
    // Guess (SPEC.md Guesses, reference §6.2): OperationNotPermitted is not modeled for Start;
    // ResourceNotAvailable is the modeled error closest to "not startable now".
    throw new ApiError("ResourceNotAvailableException", `The image builder ${rec.attrs.Name} is ${state}; only a STOPPED image builder can be started.`);
  }
  if (input.AppstreamAgentVersion !== undefined) rec.attrs.AppstreamAgentVersion = input.AppstreamAgentVersion;
  rec.lifecycle = begin(ctx.now, "PENDING", [{ state: "RUNNING", durationMs: ctx.config.durations.imageBuilderStart }], ctx.config.timeScale);
  return { ImageBuilder: builderView(ctx, rec, "PENDING") };
});

const stopImageBuilder = op<StopImageBuilderRequest>((ctx, input) => {
  const rec = requireBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  if (state !== "RUNNING") {
    throw notPermitted(`The image builder ${rec.attrs.Name} is ${state}; only a RUNNING image builder can be stopped.`);
  }
  rec.lifecycle = begin(ctx.now, "STOPPING", [{ state: "STOPPED", durationMs: ctx.config.durations.imageBuilderStop }], ctx.config.timeScale);
  return { ImageBuilder: builderView(ctx, rec, "STOPPING") };
});

/** Reference §6.2: Delete needs Stopped; FAILED builders are deletable too [inferred]. */
const DELETABLE = new Set(["STOPPED", "FAILED"]);

const deleteImageBuilder = op<DeleteImageBuilderRequest>((ctx, input) => {
  const rec = requireBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  if (!DELETABLE.has(state)) {
    throw notPermitted(`The image builder ${rec.attrs.Name} is ${state}; only a STOPPED or FAILED image builder can be deleted.`);
  }
  rec.lifecycle = begin(ctx.now, "DELETING", [{ state: GONE, durationMs: ctx.config.durations.imageBuilderDelete }], ctx.config.timeScale);
  return { ImageBuilder: builderView(ctx, rec, "DELETING") };
});

/** Reference §6.1: default validity of an image builder streaming URL, in seconds. */
const DEFAULT_URL_VALIDITY = 3600;

const createImageBuilderStreamingURL = op<CreateImageBuilderStreamingURLRequest>((ctx, input) => {
  const rec = requireBuilder(ctx, input.Name);
  const state = stateOf(ctx, rec.lifecycle);
  if (state !== "RUNNING") throw notPermitted(`The image builder ${rec.attrs.Name} is ${state}; connecting needs a RUNNING image builder.`);
  // Its 1–604800 range is a prose limit that request validation enforces (VAL-07).
  const validity = input.Validity ?? DEFAULT_URL_VALIDITY;
  return streamingUrlAnswer(ctx, { imageBuilder: rec.attrs.Name }, validity);
});

/** Image builder operations for the registry in ops.ts. */
export const imageBuilderOps: Record<string, OpHandler> = {
  CreateImageBuilder: createImageBuilder,
  DescribeImageBuilders: describeImageBuilders,
  StartImageBuilder: startImageBuilder,
  StopImageBuilder: stopImageBuilder,
  DeleteImageBuilder: deleteImageBuilder,
  CreateImageBuilderStreamingURL: createImageBuilderStreamingURL,
};
