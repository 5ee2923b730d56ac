/**
 * The API paths that make private images (reference §7.3, §7.4): CopyImage, CreateUpdatedImage (managed
 * updates, incl. `dryRun`) and CreateImportedImage (from an AMI or a WorkSpaces image; `DryRun` →
 * DryRunOperationException, HTTP 412).
 * Each new image starts in a transitional state and becomes AVAILABLE after a time-scaled delay.
 * Rules IMG-10..IMG-19 and IMG-23 in SPEC.md.
 */
import type { CopyImageRequest, CreateImportedImageRequest, CreateUpdatedImageRequest } from "@aws-sdk/client-appstream";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { ApiError, alreadyExists, limitExceeded, notFound, notPermitted } from "./errors.js";
import {
  checkImageQuota,
  imageView,
  imagesIn,
  inFlight,
  isOwn,
  requireImage,
  stateOf,
  sweepImages,
  type OwnImageRecord,
} from "./images.js";
import { arnOf } from "./store.js";
import { storeCreateTags } from "./tags.js";
import { begin, type PlannedStep } from "./transitions.js";

/** A region name as AWS spells them (`us-east-1`, `us-gov-west-1`, `eu-central-2`). */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** An IAM role ARN; anything else is an invalid role (reference §14.1 InvalidRoleException). */
export const ROLE_ARN = /^arn:aws(-[a-z-]+)?:iam::\d{12}:role\/.+$/;

function resourceNotAvailable(message: string): ApiError {
  return new ApiError("ResourceNotAvailableException", message);
}

/** Stores a new private image of `origin` in `region`, entering `first` now and then `steps`. */
function createImage(
  ctx: OpContext,
  region: string,
  attrs: OwnImageRecord["attrs"],
  origin: OwnImageRecord["origin"],
  first: string,
  steps: PlannedStep[],
): OwnImageRecord {
  const rec: OwnImageRecord = {
    attrs,
    origin,
    createdAt: ctx.now,
    lifecycle: begin(ctx.now, first, steps, ctx.config.timeScale),
    visibleAt: visibleAtFor(ctx),
  };
  imagesIn(ctx, region)[attrs.Name] = rec;
  return rec;
}

/** Attributes of an image derived from `source`: new name and ARN, never the builder name (reference §7.1). */
function derivedAttrs(ctx: OpContext, source: OwnImageRecord, region: string, name: string): OwnImageRecord["attrs"] {
  const attrs = structuredClone(source.attrs);
  delete attrs.ImageBuilderName;
  return { ...attrs, Name: name, Arn: arnOf(region, ctx.account, "image", name), Visibility: "PRIVATE" };
}

function requireFreeName(ctx: OpContext, name: string, region: string): void {
  if (sweepImages(ctx, region)[name]) throw alreadyExists(`The image ${name} already exists.`);
}

const copyImage = op<CopyImageRequest>((ctx, input) => {
  const source = requireImage(ctx, String(input.SourceImageName));
  const sourceName = source.attrs.Name;
  // Only your own images can be copied (reference §7.4 "same account"); a public or shared source is not
  // available for copying. Guess (SPEC.md Guesses): ResourceNotAvailable, the closest modeled error.
  if (!isOwn(source)) throw resourceNotAvailable(`The image ${sourceName} is not a private image of this account and cannot be copied.`);
  const state = stateOf(ctx, source.lifecycle);
  if (state !== "AVAILABLE") throw resourceNotAvailable(`The image ${sourceName} is ${state}; only AVAILABLE images can be copied.`);
  const region = String(input.DestinationRegion);
  if (!REGION.test(region)) throw notFound(`The region ${region} does not exist.`);
  const name = String(input.DestinationImageName);
  requireFreeName(ctx, name, region);
  if (inFlight(ctx, "copy", region) >= ctx.config.quotas.concurrentImageCopies) {
    throw limitExceeded(
      `The requested limit exceeds the permitted limit for an account: concurrent image copies to ${region} (${ctx.config.quotas.concurrentImageCopies}).`,
    );
  }
  checkImageQuota(ctx, region);
  const attrs = derivedAttrs(ctx, source, region, name);
  if (input.DestinationImageDescription !== undefined) attrs.Description = input.DestinationImageDescription;
  // Tags are not copied (reference §7.4, S001:L691): nothing is written to the tags collection.
  createImage(ctx, region, attrs, "copy", "PENDING", [{ state: "AVAILABLE", durationMs: ctx.config.durations.imageCopy }]);
  return { DestinationImageName: name };
});

const createUpdatedImage = op<CreateUpdatedImageRequest>((ctx, input) => {
  const existing = requireImage(ctx, String(input.existingImageName));
  const existingName = existing.attrs.Name;
  if (!isOwn(existing)) throw notPermitted(`The image ${existingName} is not a private image of this account and cannot be updated.`);
  // dryRun only reports whether an update exists and creates nothing (reference §7.4, S001:L3365).
  if (input.dryRun === true) return { image: imageView(ctx, existing), canUpdateImage: existing.updateAvailable === true };
  const state = stateOf(ctx, existing.lifecycle);
  if (state !== "AVAILABLE") throw notPermitted(`The image ${existingName} is ${state}; only AVAILABLE images can be updated.`);
  if (existing.updateAvailable !== true) {
    // Guess (SPEC.md Guesses): with nothing to update the image is "not compatible for updates".
    throw new ApiError("IncompatibleImageException", `The image ${existingName} can't be updated: no managed updates are available for it.`);
  }
  const name = String(input.newImageName);
  requireFreeName(ctx, name, ctx.region);
  if (inFlight(ctx, "update", ctx.region) >= ctx.config.quotas.concurrentImageUpdates) {
    throw limitExceeded(
      `The requested limit exceeds the permitted limit for an account: concurrent image updates (${ctx.config.quotas.concurrentImageUpdates}).`,
    );
  }
  checkImageQuota(ctx);
  const attrs = derivedAttrs(ctx, existing, ctx.region, name);
  delete attrs.Description;
  delete attrs.DisplayName;
  if (input.newImageDescription !== undefined) attrs.Description = input.newImageDescription;
  if (input.newImageDisplayName !== undefined) attrs.DisplayName = input.newImageDisplayName;
  attrs.LatestAppstreamAgentVersion = "TRUE";
  // Reference §20 q6: PENDING, not CREATING, is the guess for images being built.
  const rec = createImage(ctx, ctx.region, attrs, "update", "PENDING", [{ state: "AVAILABLE", durationMs: ctx.config.durations.imageCreate }]);
  storeCreateTags(ctx, attrs.Arn, input.newImageTags);
  return { image: imageView(ctx, rec), canUpdateImage: true };
});

/** Applications of an imported image from its AppCatalogConfig (reference §7.3 ApplicationConfig). */
function applicationsOf(input: CreateImportedImageRequest): Record<string, unknown>[] | undefined {
  const catalog = input.AppCatalogConfig ?? [];
  const seen = new Set<string>();
  for (const app of catalog) {
    // Reference §7.3: application names are unique within the catalog.
    // CreateImportedImage models no InvalidParameterCombination: a constraint on the input is a ValidationException.
    if (seen.has(String(app.Name))) throw new ApiError("ValidationException", `The application name ${String(app.Name)} appears more than once in AppCatalogConfig.`);
    seen.add(String(app.Name));
  }
  if (catalog.length === 0) return undefined;
  return catalog.map((app) => ({
    Name: app.Name,
    DisplayName: app.DisplayName,
    LaunchPath: app.AbsoluteAppPath,
    WorkingDirectory: app.WorkingDirectory,
    LaunchParameters: app.LaunchParameters,
    Enabled: true,
    Platforms: ["WINDOWS_SERVER_2022"],
  }));
}

/**
 * The source of an import: an EC2 AMI (with the role that reads it) or a WorkSpaces image (IMG-23). The
 * pinned SDK makes all three members optional and declares InvalidParameterCombination for the call.
 */
function checkImportSource(input: CreateImportedImageRequest): void {
  const ami = input.SourceAmiId !== undefined;
  const workspace = input.WorkspaceImageId !== undefined;
  if (ami === workspace) {
    throw new ApiError("InvalidParameterCombinationException", "Specify exactly one of SourceAmiId and WorkspaceImageId.");
  }
  if (ami && input.IamRoleArn === undefined) {
    throw new ApiError("InvalidParameterCombinationException", "IamRoleArn is required to import from an AMI (SourceAmiId).");
  }
  if (input.IamRoleArn !== undefined && !ROLE_ARN.test(input.IamRoleArn)) {
    throw new ApiError("InvalidRoleException", `The specified role ${input.IamRoleArn} is invalid.`);
  }
}

const createImportedImage = op<CreateImportedImageRequest>((ctx, input) => {
  const name = String(input.Name);
  checkImportSource(input);
  const applications = applicationsOf(input);
  requireFreeName(ctx, name, ctx.region);
  checkImageQuota(ctx);
  if (input.DryRun === true) {
    // Reference §7.4: a passing dry run is reported as an error, HTTP 412 (SDK schema).
    throw new ApiError(
      "DryRunOperationException",
      "The dry run validation checks have been performed successfully, but no actual resources were created.",
      412,
    );
  }
  const attrs: OwnImageRecord["attrs"] = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "image", name),
    Visibility: "PRIVATE",
    // Reference §7.4: only Windows Server 2022 AMIs can be imported; imported images are CUSTOM.
    Platform: "WINDOWS_SERVER_2022",
    ImageType: "CUSTOM",
    ImageBuilderSupported: true,
    Description: input.Description,
    DisplayName: input.DisplayName,
    Applications: applications,
    AppstreamAgentVersion: "1.1.1370",
    LatestAppstreamAgentVersion: input.AgentSoftwareVersion === "ALWAYS_LATEST" ? "TRUE" : "FALSE",
    DynamicAppProvidersEnabled: "DISABLED",
    SupportedInstanceFamilies: ["GENERAL_PURPOSE", "COMPUTE_OPTIMIZED", "MEMORY_OPTIMIZED"],
  };
  const total = ctx.config.durations.imageCreate;
  // IMPORTING → (VALIDATING when a runtime validation is requested) → AVAILABLE (reference §7.2).
  const steps: PlannedStep[] = input.RuntimeValidationConfig
    ? [{ state: "VALIDATING", durationMs: total / 2 }, { state: "AVAILABLE", durationMs: total / 2 }]
    : [{ state: "AVAILABLE", durationMs: total }];
  const rec = createImage(ctx, ctx.region, attrs, "import", "IMPORTING", steps);
  storeCreateTags(ctx, attrs.Arn, input.Tags);
  return { Image: imageView(ctx, rec) };
});

/** CopyImage, CreateUpdatedImage and CreateImportedImage for the registry in ops.ts. */
export const imageCreateOps: Record<string, OpHandler> = {
  CopyImage: copyImage,
  CreateUpdatedImage: createUpdatedImage,
  CreateImportedImage: createImportedImage,
};
