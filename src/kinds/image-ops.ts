/**
 * How an image's steps are carried out and waited on, and how the image catalog is read for selectors.
 * Producing calls are creates that may race (another run made the image meanwhile); a copy is called in
 * its source region and lands in the plan's (reference §7.4).
 */
import type {
  CopyImageCommandInput, CreateImportedImageCommandInput, CreateUpdatedImageCommandInput, DeleteImageCommandInput,
  DeleteImagePermissionsCommandInput, Image, UpdateImagePermissionsCommandInput,
} from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import type { CatalogImage, LiveResource } from "../model/resource.js";
import type { ReadContext } from "./contract.js";
import { errorCodes, withImage } from "./fleet-steps.js";
import type { OpCtx, OpFn, Waiter } from "./kind.js";
import { createOrRaced, deleteOrGone, found, PROPAGATION, referring, param } from "./op-helpers.js";
import { IMAGES_PAGE } from "./page-sizes.js";

/** Every page of DescribeImages for `input`: the kind's read, its catalog and its waiter share it. */
export async function describeImages(api: AppStreamApi, input: { Names?: string[]; Type?: "PRIVATE"; MaxResults?: number }): Promise<Image[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeImages", { ...input, ...(token ? { NextToken: token } : {}) });
    return { items: out.Images ?? [], next: out.NextToken };
  }, { label: "DescribeImages" });
}

const imageExists = (ctx: OpCtx, name: string) => found(async () => (await ctx.call("DescribeImages", { Names: [name] })).Images);

/** A copy's params: the request, plus the source region it is called in. */
type CopyParams = CopyImageCommandInput & { region: string };

export const imageOps = {
  "image.create-updated": ((ctx, s) =>
    createOrRaced(
      () => ctx.call("CreateUpdatedImage", s.params, referring(ctx, s.address)),
      () => imageExists(ctx, param(s, "newImageName")),
    )) satisfies OpFn<CreateUpdatedImageCommandInput>,
  "image.import": ((ctx, s) =>
    createOrRaced(() => ctx.call("CreateImportedImage", s.params, referring(ctx, s.address)), () => imageExists(ctx, param(s, "Name")))) satisfies OpFn<CreateImportedImageCommandInput>,
  "image.copy": ((ctx, s) => {
    const { region: _source, ...request } = s.params;
    return createOrRaced(
      () => ctx.callIn(param(s, "region"), "CopyImage", request, referring(ctx, s.address)),
      () => imageExists(ctx, param(s, "DestinationImageName")),
    );
  }) satisfies OpFn<CopyParams>,
  "image.delete": ((ctx, s) => deleteOrGone(() => ctx.call("DeleteImage", s.params, { resource: s.address }))) satisfies OpFn<DeleteImageCommandInput>,
};

export const imagePermissionOps = {
  "image-permission.put": ((ctx, s) =>
    withImage(ctx, s.params.Name, () => ctx.call("UpdateImagePermissions", s.params, { ...PROPAGATION, resource: s.address }))) satisfies OpFn<UpdateImagePermissionsCommandInput>,
  "image-permission.delete": ((ctx, s) =>
    deleteOrGone(() => ctx.call("DeleteImagePermissions", s.params, { resource: s.address }))) satisfies OpFn<DeleteImagePermissionsCommandInput>,
};

const MINUTE = 60_000;

/** Images: 6 h, since copies, managed updates and imports take hours (§15.2). */
export const imageWaiter: Waiter<Image> = {
  kind: "image",
  timeoutMs: 360 * MINUTE,
  // Without names only private images: a plan creates and deletes only those; the public catalog is large.
  read: (api, names) => describeImages(api, names ? { Names: names } : { Type: "PRIVATE" }),
  name: (i) => i.Name ?? "",
  state: (i) => i.State ?? "UNKNOWN",
  problem(i) {
    if (i.State !== "FAILED") return undefined;
    const why = [errorCodes(i.ImageErrors), [i.StateChangeReason?.Code, i.StateChangeReason?.Message].filter(Boolean).join(": ")].filter(Boolean).join("; ");
    return { message: `image ${i.Name} FAILED${why ? `: ${why}` : ""}`, fatal: true };
  },
};

/** One listing of every image serves both the selectors and the private images (§13: 25 a page). */
export async function imageCatalog(ctx: ReadContext, normalize: (i: Image) => LiveResource): Promise<{ live: LiveResource[]; catalog: CatalogImage[] }> {
  const images = await describeImages(ctx.api, { MaxResults: IMAGES_PAGE });
  const catalog: CatalogImage[] = images.map((i) => ({
    name: i.Name ?? "", ...(i.State ? { state: i.State } : {}), ...(i.Visibility ? { visibility: i.Visibility } : {}),
    ...(i.CreatedTime ? { createdTime: i.CreatedTime.getTime() } : {}),
  }));
  return { live: images.filter((i) => i.Visibility === "PRIVATE").map(normalize), catalog };
}

/** A share in manifest shape with the API defaults left out (allowFleet true, allowImageBuilder false). */
export function shareOf(accountId: string, allowFleet: unknown, allowImageBuilder: unknown): { accountId: string; allowFleet?: boolean; allowImageBuilder?: boolean } {
  return { accountId, ...(allowFleet === false ? { allowFleet: false } : {}), ...(allowImageBuilder === true ? { allowImageBuilder: true } : {}) };
}
