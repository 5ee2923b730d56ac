/**
 * Control-API hooks for images (`/_emulator/`, not part of AppStream). The console's Image Assistant
 * turns a running image builder into a private image and has no API (reference §19 "Images"), and
 * whether a managed update exists is AWS's decision; tests drive both here.
 *
 * | Route | Body | Does |
 * |---|---|---|
 * | `POST /_emulator/images` | `{imageName, builderName, region?, displayName?, description?, tags?, updateAvailable?, fail?}` | IMG-20: a PRIVATE image from a RUNNING builder: the builder goes SNAPSHOTTING → STOPPED, the image PENDING → AVAILABLE (FAILED with `fail: true`) |
 * | `POST /_emulator/images` | `{imageName, visibility: "SHARED", ownerAccount?, platform?, allowFleet?, allowImageBuilder?, region?}` | IMG-21: an AVAILABLE image another account shared with this one |
 * | `POST /_emulator/image-updates` | `{imageName, region?, available?}` | IMG-22: marks a private image as having a managed update (default true) |
 *
 * Each returns `{image}` (the API `Image` view). Errors are the API's: ResourceNotFound, ResourceAlreadyExists,
 * LimitExceeded (images quota), OperationNotPermitted (builder not RUNNING).
 */
import type { OpContext } from "./context.js";
import { ApiError, alreadyExists, notFound, notPermitted } from "./errors.js";
import { requireBuilder } from "./image-builders.js";
import { checkImageQuota, imageView, imagesIn, isOwn, requireImage, stateOf, sweepImages, type OwnImageRecord } from "./images.js";
import { arnOf, type Store } from "./store.js";
import { storeCreateTags } from "./tags.js";
import { begin, rest } from "./transitions.js";

/** Region of a control call without `region`, as for the API (server.ts DEFAULT_REGION, PROTO-07). */
const DEFAULT_REGION = "us-east-1";

/** The account that "shares" images created with `visibility: "SHARED"` unless the body names one. */
const OTHER_ACCOUNT = "210987654321";

/** A handler context for a control call: the store's clock now, no eventual-consistency delay. */
export function controlContext(store: Store, body: Record<string, unknown>, operation: string): OpContext {
  return {
    store,
    region: typeof body.region === "string" ? body.region : DEFAULT_REGION,
    account: store.config.account,
    now: store.now(),
    config: store.config,
    operation,
    consistencyDelayMs: 0,
  };
}

export function requiredString(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== "string" || v === "") throw new ApiError("ValidationException", `${key} must be a non-empty string`);
  return v;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  return typeof v === "string" ? v : undefined;
}

/** IMG-20: what the Image Assistant does when it creates an image from a builder. */
function imageFromBuilder(ctx: OpContext, body: Record<string, unknown>, name: string): OwnImageRecord {
  const builder = requireBuilder(ctx, requiredString(body, "builderName"));
  const builderState = stateOf(ctx, builder.lifecycle);
  if (builderState !== "RUNNING") {
    throw notPermitted(`The image builder ${builder.attrs.Name} is ${builderState}; an image can only be created from a RUNNING image builder.`);
  }
  checkImageQuota(ctx);
  const base = ctx.store.findImage(ctx.region, builder.attrs.ImageArn)?.record.attrs;
  const duration = ctx.config.durations.imageCreate;
  // Reference §6.2 [inferred]: RUNNING → SNAPSHOTTING → STOPPED while the image is made.
  builder.lifecycle = begin(ctx.now, "SNAPSHOTTING", [{ state: "STOPPED", durationMs: duration }], ctx.config.timeScale);
  const attrs: OwnImageRecord["attrs"] = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "image", name),
    BaseImageArn: builder.attrs.ImageArn,
    DisplayName: optionalString(body, "displayName"),
    Description: optionalString(body, "description"),
    Visibility: "PRIVATE",
    ImageBuilderSupported: true,
    ImageBuilderName: builder.attrs.Name,
    Platform: builder.attrs.Platform,
    AppstreamAgentVersion: builder.attrs.AppstreamAgentVersion,
    LatestAppstreamAgentVersion: "TRUE",
    ImageType: typeof base?.ImageType === "string" ? base.ImageType : "NATIVE",
    SupportedInstanceFamilies: base?.SupportedInstanceFamilies,
    DynamicAppProvidersEnabled: "DISABLED",
  };
  const rec: OwnImageRecord = {
    attrs,
    origin: "builder",
    updateAvailable: body.updateAvailable === true,
    createdAt: ctx.now,
    lifecycle: begin(ctx.now, "PENDING", [{ state: body.fail === true ? "FAILED" : "AVAILABLE", durationMs: duration }], ctx.config.timeScale),
  };
  storeCreateTags(ctx, attrs.Arn, body.tags as Record<string, string> | undefined);
  return rec;
}

/** IMG-21: an image owned by another account and shared with this one. */
function sharedImage(ctx: OpContext, body: Record<string, unknown>, name: string): OwnImageRecord {
  const owner = optionalString(body, "ownerAccount") ?? OTHER_ACCOUNT;
  return {
    attrs: {
      Name: name,
      Arn: arnOf(ctx.region, owner, "image", name),
      Visibility: "SHARED",
      Platform: optionalString(body, "platform") ?? "WINDOWS_SERVER_2022",
      ImageBuilderSupported: true,
      ImageType: "NATIVE",
      ImagePermissions: { allowFleet: body.allowFleet !== false, allowImageBuilder: body.allowImageBuilder !== false },
    },
    createdAt: ctx.now,
    lifecycle: rest(ctx.now, "AVAILABLE"),
  };
}

/** `POST /_emulator/images`. */
export function controlCreateImage(store: Store, body: Record<string, unknown>): { image: Record<string, unknown> } {
  const ctx = controlContext(store, body, "_emulator/images");
  const name = requiredString(body, "imageName");
  if (sweepImages(ctx)[name]) throw alreadyExists(`The image ${name} already exists.`);
  const rec = body.visibility === "SHARED" ? sharedImage(ctx, body, name) : imageFromBuilder(ctx, body, name);
  imagesIn(ctx)[name] = rec;
  return { image: imageView(ctx, rec) };
}

/** `POST /_emulator/image-updates`. */
export function controlImageUpdate(store: Store, body: Record<string, unknown>): { image: Record<string, unknown> } {
  const ctx = controlContext(store, body, "_emulator/image-updates");
  const rec = requireImage(ctx, requiredString(body, "imageName"));
  if (!isOwn(rec)) throw notFound(`The image ${rec.attrs.Name} is not a private image of account ${ctx.account}.`);
  rec.updateAvailable = body.available !== false;
  return { image: imageView(ctx, rec) };
}

/** The control routes of this file, keyed `METHOD path` as control.ts matches them. */
export const imageControlRoutes: Record<string, (store: Store, body: Record<string, unknown>) => unknown> = {
  "POST images": controlCreateImage,
  "POST image-updates": controlImageUpdate,
};
