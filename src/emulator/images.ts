/**
 * Images (reference §7): DescribeImages and DeleteImage, plus the helpers every image-producing area
 * shares (records, the API view, "gone" handling, quotas). CopyImage, CreateUpdatedImage and
 * CreateImportedImage live in image-create.ts, permissions in image-permissions.ts, the control-API hook
 * in image-control.ts. Rules are numbered IMG-xx in SPEC.md.
 *
 * Images are stored in the `images` collection the store seeds with PUBLIC base images; a private image
 * is an {@link OwnImageRecord}. Deletion goes DELETING → {@link GONE}: a record whose lifecycle reached
 * GONE is treated as absent everywhere and purged by {@link sweep}.
 */
import type { DeleteImageRequest, DescribeImagesRequest } from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError, badCombination, inUse, limitExceeded, notFound, notPermitted } from "./errors.js";
import type { FleetRecord } from "./fleets.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { selectByNames } from "./select.js";
import { dict, GONE, isVisible, type ImageRecord, type Table } from "./store.js";
import { dropTags } from "./tags.js";
import { begin, effective, isSettled, type Lifecycle } from "./transitions.js";

export { GONE };

/** How a private image came to be; copies and updates count toward their concurrency quotas (reference §16). */
export type ImageOrigin = "builder" | "copy" | "update" | "import";

/** A stored image with the emulator-only fields the private-image areas need. */
export interface OwnImageRecord extends ImageRecord {
  origin?: ImageOrigin;
  /** Set through the control API: a managed update exists, so CreateUpdatedImage can build one (IMG-14). */
  updateAvailable?: boolean;
}

/** Image permission grants of one image: shared account id → permissions (image-permissions.ts). */
export type Grants = Record<string, { allowFleet: boolean; allowImageBuilder: boolean }>;

/** The images table of `region` (the request's region unless given). */
export function imagesIn(ctx: OpContext, region = ctx.region): Table<OwnImageRecord> {
  return ctx.store.table<OwnImageRecord>(region, "images");
}

/** The grants table of `region`: image name → {@link Grants}. */
export function grantsIn(ctx: OpContext, region = ctx.region): Table<Grants> {
  return ctx.store.table<Grants>(region, "imagePermissions");
}

/** The state of a lifecycle now. */
export function stateOf(ctx: OpContext, lc: Lifecycle): string {
  return effective(lc, ctx.now).state;
}

/**
 * Purges the records of `table` whose lifecycle reached {@link GONE}, with their tags (and, for images,
 * their permission grants). Called at the start of every handler that reads the table.
 */
export function sweep<T extends { lifecycle: Lifecycle; attrs: { Arn?: string; Name: string } }>(
  ctx: OpContext,
  table: Table<T>,
  onPurge?: (name: string) => void,
): void {
  for (const [name, rec] of Object.entries(table)) {
    if (stateOf(ctx, rec.lifecycle) !== GONE) continue;
    delete table[name];
    if (rec.attrs.Arn) dropTags(ctx, rec.attrs.Arn);
    onPurge?.(name);
  }
}

/** Sweeps the images of `region`. */
export function sweepImages(ctx: OpContext, region = ctx.region): Table<OwnImageRecord> {
  const images = imagesIn(ctx, region);
  const grants = grantsIn(ctx, region);
  sweep(ctx, images, (name) => delete grants[name]);
  return images;
}

/** True for an image this account owns (PRIVATE); PUBLIC and SHARED images are someone else's. */
export function isOwn(rec: ImageRecord): boolean {
  return rec.attrs.Visibility === "PRIVATE";
}

/** The image called `name` in `region`, visible to Describe; RNFE worded like the service (reference §14.1). */
export function requireImage(ctx: OpContext, name: string, region = ctx.region): OwnImageRecord {
  const rec = sweepImages(ctx, region)[name];
  if (!rec || !isVisible(rec, ctx.now)) throw notFound(`The image ${name} for account ${ctx.account} does not exist.`);
  return rec;
}

/** LimitExceeded when `region` already holds the quota of private images (reference §16: 10). */
export function checkImageQuota(ctx: OpContext, region = ctx.region): void {
  const own = Object.values(sweepImages(ctx, region)).filter(isOwn).length;
  if (own >= ctx.config.quotas.images) {
    throw limitExceeded(`The requested limit exceeds the permitted limit for an account: images (${ctx.config.quotas.images}).`);
  }
}

/** How many images of `origin` are still being built in `region` (copy and update concurrency quotas). */
export function inFlight(ctx: OpContext, origin: ImageOrigin, region = ctx.region): number {
  return Object.values(sweepImages(ctx, region)).filter((r) => r.origin === origin && !isSettled(r.lifecycle, ctx.now)).length;
}

/** Why an image failed, per state (reference §7.1 StateChangeReason codes). */
const FAILURE_CODE: Record<ImageOrigin, string> = {
  builder: "IMAGE_BUILDER_NOT_AVAILABLE",
  copy: "IMAGE_COPY_FAILURE",
  update: "IMAGE_UPDATE_FAILURE",
  import: "IMAGE_IMPORT_FAILURE",
};

/** The API `Image` shape of a record (IMG-02): State and CreatedTime computed, sharing flag derived. */
export function imageView(ctx: OpContext, rec: OwnImageRecord, region = ctx.region): Record<string, unknown> {
  const state = stateOf(ctx, rec.lifecycle);
  const view: Record<string, unknown> = { ...rec.attrs, State: state, CreatedTime: epoch(rec.createdAt) };
  if (typeof rec.attrs.PublicBaseImageReleasedDate === "number") {
    view.PublicBaseImageReleasedDate = epoch(rec.attrs.PublicBaseImageReleasedDate);
  }
  if (isOwn(rec)) {
    const shared = Object.keys(grantsIn(ctx, region)[rec.attrs.Name] ?? {}).length > 0;
    view.ImageSharedWithOthers = shared ? "TRUE" : "FALSE";
  }
  if (state === "FAILED") {
    view.StateChangeReason = { Code: FAILURE_CODE[rec.origin ?? "builder"], Message: `The image ${rec.attrs.Name} could not be created.` };
  }
  return view;
}

/** Fleets of the request's region that use `image` by name or by ARN (IMG-08). */
export function fleetsUsing(ctx: OpContext, image: ImageRecord): string[] {
  return Object.values(ctx.store.table<FleetRecord>(ctx.region, "fleets"))
    .filter((f) => f.attrs.ImageName === image.attrs.Name || f.attrs.ImageArn === image.attrs.Arn)
    .map((f) => f.attrs.Name)
    .sort();
}

const describeImages = op<DescribeImagesRequest>((ctx, input) => {
  const images = sweepImages(ctx);
  const names = input.Names ?? [];
  const arns = input.Arns ?? [];
  // Reference §7.3: InvalidParameterCombination is modeled; Names with Arns is the combination it guards.
  if (names.length > 0 && arns.length > 0) throw badCombination("Specify either Names or Arns, not both.");
  const missing = (n: string) => notFound(`The image ${n} for account ${ctx.account} does not exist.`);
  let list: OwnImageRecord[];
  if (arns.length > 0) {
    const byArn = dict(Object.values(images).map((r) => [r.attrs.Arn, r] as const));
    list = selectByNames(byArn, arns, ctx.now, (a) => notFound(`The image ${a} does not exist.`), (r) => r.attrs.Name);
  } else {
    list = selectByNames(images, names, ctx.now, missing, (r) => r.attrs.Name);
  }
  if (input.Type !== undefined) list = list.filter((r) => r.attrs.Visibility === input.Type);
  const scope = `DescribeImages|${names.join(",")}|${arns.join(",")}|${input.Type ?? ""}`;
  const page = paginate(list, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { Images: page.items.map((r) => imageView(ctx, r)), NextToken: page.nextToken };
});

/** States from which DeleteImage may start: resting ones (IMG-09). */
const DELETABLE = new Set(["AVAILABLE", "FAILED"]);

const deleteImage = op<DeleteImageRequest>((ctx, input) => {
  const name = String(input.Name);
  const rec = requireImage(ctx, name);
  if (!isOwn(rec)) {
    throw notPermitted(`The image ${name} is ${rec.attrs.Visibility.toLowerCase()}; only private images you own can be deleted.`);
  }
  const users = fleetsUsing(ctx, rec);
  if (users.length > 0) throw inUse(`The image ${name} is in use by the fleet(s) ${users.join(", ")}. You cannot delete an image when it is in use.`);
  const grants = Object.keys(grantsIn(ctx)[name] ?? {});
  if (grants.length > 0) {
    throw inUse(`The image ${name} is shared with ${grants.length} account(s). Revoke all image permissions before deleting it.`);
  }
  const state = stateOf(ctx, rec.lifecycle);
  if (!DELETABLE.has(state)) {
    throw new ApiError("ConcurrentModificationException", `The image ${name} is ${state}. Wait until it is AVAILABLE or FAILED, then try again.`);
  }
  rec.lifecycle = begin(ctx.now, "DELETING", [{ state: GONE, durationMs: ctx.config.durations.imageDelete }], ctx.config.timeScale);
  // The response shows DELETING even when time scale 0 makes the image gone at once (reference §19).
  return { Image: { ...imageView(ctx, rec), State: "DELETING" } };
});

/** DescribeImages and DeleteImage for the registry in ops.ts. */
export const imageOps: Record<string, OpHandler> = {
  DescribeImages: describeImages,
  DeleteImage: deleteImage,
};
