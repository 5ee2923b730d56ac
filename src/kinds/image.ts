/**
 * Image (reference §7). An image is immutable: "changing" one means producing a new image and pointing
 * fleets at it. Only its sharing (ImagePermission, §7.4) and its tags change in place. An entry either
 * adopts an existing private image or names a `source` that produces it: CreateUpdatedImage (managed
 * update), CreateImportedImage (from an AMI, or from a WorkSpaces image: the pinned SDK's WorkspaceImageId,
 * which the reference model lacks; the SDK models no BYOL or other member for it) or CopyImage (from another
 * Region).
 */
import type { Image } from "@aws-sdk/client-appstream";
import { kindOf } from "../aws/errors.js";
import { AppError } from "../core/errors.js";
import type { PlanRead } from "../model/plan.js";
import { limitRange } from "./api-limits.js";
import { tagRules } from "./common-rules.js";
import type { DesiredResource, FieldTable, LiveResource, ManifestView, ReadContext, RuleViolation, StepDraft } from "./contract.js";
import { describeImages, imageCatalog, imageOps, imageWaiter, shareOf } from "./image-ops.js";
import { exportToSchema, type ExportTo } from "./image-export.js";
import { defineKind } from "./kind.js";
import { toApiShape } from "./convert.js";
import { chain, specFromApi, tagStep, waitStep } from "./steps.js";
import { ACCOUNT_ID_PATTERN, arn, bool, ignoreChanges, list, name, obj, oneOfEnum, openEnum, protect, str, tags } from "./schema-dsl.js";
import { IMAGES_PAGE } from "./page-sizes.js";

export interface ImageShare {
  accountId: string;
  allowFleet?: boolean;
  allowImageBuilder?: boolean;
}

export interface ImportFromAmi {
  sourceAmiId: string;
  iamRoleArn: string;
  runtimeValidationConfig?: { intendedInstanceType?: string };
  agentSoftwareVersion?: "CURRENT_LATEST" | "ALWAYS_LATEST";
  appCatalogConfig?: {
    name: string;
    displayName?: string;
    absoluteAppPath: string;
    absoluteIconPath?: string;
    absoluteManifestPath?: string;
    workingDirectory?: string;
    launchParameters?: string;
  }[];
}

/** CreateImportedImage from a WorkSpaces image: the import's options, with the role optional (as the SDK has it). */
export type ImportFromWorkSpaces = Omit<ImportFromAmi, "sourceAmiId" | "iamRoleArn"> & { workspaceImageId: string; iamRoleArn?: string };

export interface ImageSource {
  updateOf?: string;
  importFromAmi?: ImportFromAmi;
  importFromWorkSpaces?: ImportFromWorkSpaces;
  copyOf?: { region: string; name: string };
}

export interface ImageSpec {
  name: string;
  source?: ImageSource;
  description?: string;
  displayName?: string;
  sharedWith?: ImageShare[];
  exportTo?: ExportTo;
  tags?: Record<string, string>;
  protect?: boolean;
  ignoreChanges?: string[];
}

/** CreateImportedImage restricts description and display name to this charset (model shape ImageImport*). */
const IMPORT_TEXT = /^[a-zA-Z0-9_.() -]+$/;
/** An image's texts are fixed when it is produced: left out, they are not managed (an adopted image keeps its own). */
const IMMUTABLE_TEXT = { keep: "an image's texts are fixed when it is produced; an adopted image keeps its own" } as const;
const SOURCE_FORMS = ["updateOf", "importFromAmi", "importFromWorkSpaces", "copyOf"] as const;
/** A WorkSpaces image id (the WorkSpaces API's WorkspaceImageId; AppStream's SDK states no pattern for it). */
const WORKSPACE_IMAGE_ID = "^wsi-[0-9a-z]{9,63}$";

/** The options both imports take (CreateImportedImage). */
const importOptions = () => ({
  runtimeValidationConfig: obj({
    intendedInstanceType: str({ pattern: "^[a-zA-Z0-9-]+(\\.[a-z0-9-]+)+\\.(small|medium|large|xlarge|\\d+xlarge|metal)$" }),
  }),
  agentSoftwareVersion: openEnum(["CURRENT_LATEST", "ALWAYS_LATEST"]),
  appCatalogConfig: list(
    obj(
      {
        name: str({ max: 100, pattern: "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}$" }),
        displayName: str({ max: 100, pattern: "^[a-zA-Z0-9][a-zA-Z0-9_. -]{0,99}$" }),
        absoluteAppPath: str({ min: 1, max: 32767 }),
        absoluteIconPath: str({ min: 1, max: 32767 }),
        absoluteManifestPath: str({ min: 1, max: 32767 }),
        workingDirectory: str({ max: 32767 }),
        launchParameters: str({ min: 1, max: 1024, pattern: "^[^\\u0000]+$" }),
      },
      ["name", "absoluteAppPath"],
    ),
    { max: 50 },
  ),
});

const fields: FieldTable<ImageSpec> = {
  name: { role: "identity", mode: "replace", schema: name("Image name (private images you own)") },
  // Not returned by DescribeImages: remembered in a digest tag, so that a changed source is still seen.
  source: {
    role: "api", mode: "replace", remembered: true, removal: { keep: "an image without a source is adopted as it is" },
    schema: obj(
      {
        updateOf: name("Build this image as a managed update (CreateUpdatedImage) of the named image"),
        importFromAmi: obj(
          {
            sourceAmiId: str({ pattern: "^ami-[a-z0-9]{8,17}$" }),
            iamRoleArn: arn("Role AppStream assumes to read the AMI"),
            ...importOptions(),
          },
          ["sourceAmiId", "iamRoleArn"],
          "Import from an AMI (CreateImportedImage)",
        ),
        importFromWorkSpaces: obj(
          {
            workspaceImageId: str({ pattern: WORKSPACE_IMAGE_ID, description: "The WorkSpaces (BYOL) image to import, wsi-…" }),
            iamRoleArn: arn("Role AppStream assumes for the import (optional for a WorkSpaces image)"),
            ...importOptions(),
          },
          ["workspaceImageId"],
          "Import from a WorkSpaces image (CreateImportedImage WorkspaceImageId)",
        ),
        copyOf: obj({ region: str({ min: 1, max: 32 }), name: name("Source image name") }, ["region", "name"], "Copy from another Region (CopyImage)"),
      },
      [],
      "How appstreamctl produces this image; absent = adopt an existing private image",
    ),
  },
  description: { role: "api", mode: "replace", removal: IMMUTABLE_TEXT, schema: str({ max: 256 }) },
  displayName: { role: "api", mode: "replace", removal: IMMUTABLE_TEXT, schema: str({ max: 100 }) },
  sharedWith: {
    role: "association", mode: "live",
    schema: list(
      obj(
        {
          accountId: str({ pattern: ACCOUNT_ID_PATTERN, description: "12-digit AWS account in the same Region" }),
          allowFleet: bool("The account may create fleets from the image (default true)"),
          allowImageBuilder: bool("The account may create image builders from the image (default false)"),
        },
        ["accountId"],
      ),
      { max: 100, description: "Accounts the image is shared with (≤ 100)" },
    ),
  },
  exportTo: { role: "association", mode: "live", schema: exportToSchema },
  tags: { role: "tags", mode: "live", schema: tags() },
  protect: { role: "meta", mode: "live", schema: protect() },
  ignoreChanges: { role: "meta", mode: "live", schema: ignoreChanges() },
};

function rules(s: ImageSpec, m: ManifestView): RuleViolation[] {
  const out: RuleViolation[] = tagRules(s, m, 1);
  if (s.source) {
    const forms = SOURCE_FORMS.filter((f) => s.source?.[f] !== undefined);
    if (forms.length !== 1) {
      out.push({
        code: "rule.image-source-form", path: forms.length > 1 ? ["source", forms[1]!] : ["source"],
        message: forms.length ? `give only one of ${forms.join(", ")}` : `source needs one of ${SOURCE_FORMS.join(", ")}`,
      });
    }
    if (s.source.updateOf === s.name) {
      out.push({ code: "rule.image-source-form", path: ["source", "updateOf"], message: "an image cannot be an update of itself" });
    }
    // CopyImage takes a description but no display name: the copy keeps the source's (model CopyImageRequest).
    if (s.source.copyOf && s.displayName !== undefined) {
      out.push({ code: "rule.image-source-form", path: ["displayName"], message: "a copy keeps the source image's displayName: CopyImage cannot set one", hint: "remove displayName" });
    }
    if (s.source.importFromAmi || s.source.importFromWorkSpaces) {
      const [, maxName] = limitRange("CreateImportedImageRequest.Name");
      if (maxName !== undefined && s.name.length > maxName) {
        out.push({ code: "rule.image-source-form", path: ["name"], message: `imported images have names of at most ${maxName} characters (${s.name.length})` });
      }
      for (const f of ["description", "displayName"] as const) {
        const v = s[f];
        if (v !== undefined && !IMPORT_TEXT.test(v)) {
          out.push({ code: "rule.image-source-form", path: [f], message: `imported images allow only letters, digits, space and _.()- in ${f}` });
        }
      }
    }
  }
  const seen = new Set<string>();
  (s.sharedWith ?? []).forEach((share, i) => {
    if (seen.has(share.accountId)) {
      out.push({ code: "rule.image-sharing", path: ["sharedWith", i, "accountId"], message: `account ${share.accountId} is listed twice` });
    }
    seen.add(share.accountId);
    if (share.allowFleet === false && share.allowImageBuilder !== true) {
      out.push({
        code: "rule.image-sharing", path: ["sharedWith", i], severity: "warning",
        message: `sharing with ${share.accountId} allows neither fleets nor image builders`,
      });
    }
  });
  return out;
}


// ---------------------------------------------------------------------------------------------------
// Planning

const IN_PRODUCTION = new Set(["PENDING", "CREATING", "IMPORTING", "VALIDATING", "COPYING"]);

export function normalizeImage(img: Image): LiveResource {
  const name = img.Name ?? "";
  return {
    kind: "Image", name, address: `Image/${name}`,
    spec: specFromApi(img, ["Name", "Description", "DisplayName"]),
    ...(img.Arn ? { arn: img.Arn } : {}),
    ...(img.State ? { state: img.State } : {}),
    errors: [
      ...(img.ImageErrors ?? []).map((e) => ({ code: e.ErrorCode ?? "UNKNOWN", message: e.ErrorMessage ?? "" })),
      ...(img.StateChangeReason?.Code ? [{ code: img.StateChangeReason.Code, message: img.StateChangeReason.Message ?? "" }] : []),
    ],
    ...(img.CreatedTime ? { createdTime: img.CreatedTime.getTime() } : {}),
    ...(img.ImageSharedWithOthers ? { facts: { sharedWithOthers: img.ImageSharedWithOthers === "TRUE" } } : {}),
  };
}

/** The steps that produce an image from its source (§7.3), ending when it is AVAILABLE. */
function produce(d: DesiredResource, region: string): StepDraft[] {
  const s = d.spec as unknown as ImageSpec;
  const text = { ...(s.description ? { Description: s.description } : {}), ...(s.displayName ? { DisplayName: s.displayName } : {}) };
  const src = s.source;
  const wait = waitStep("available", "image", d.name, "AVAILABLE", []);
  if (src?.updateOf) {
    return chain([{
      id: "create", op: "image.create-updated",
      params: {
        existingImageName: src.updateOf, newImageName: d.name,
        ...(s.description ? { newImageDescription: s.description } : {}),
        ...(s.displayName ? { newImageDisplayName: s.displayName } : {}),
        ...(d.tags ? { newImageTags: d.tags } : {}),
      },
    }, wait]);
  }
  const imp = src?.importFromAmi ?? src?.importFromWorkSpaces;
  if (imp) {
    const from = "sourceAmiId" in imp ? { SourceAmiId: imp.sourceAmiId } : { WorkspaceImageId: (imp as ImportFromWorkSpaces).workspaceImageId };
    return chain([{
      id: "create", op: "image.import",
      params: {
        Name: d.name, ...from, ...(imp.iamRoleArn ? { IamRoleArn: imp.iamRoleArn } : {}), ...text,
        ...(imp.runtimeValidationConfig?.intendedInstanceType ? { RuntimeValidationConfig: { IntendedInstanceType: imp.runtimeValidationConfig.intendedInstanceType } } : {}),
        ...(imp.agentSoftwareVersion ? { AgentSoftwareVersion: imp.agentSoftwareVersion } : {}),
        ...(imp.appCatalogConfig ? { AppCatalogConfig: imp.appCatalogConfig.map((a) => toApiShape(a)) } : {}),
        ...(d.tags ? { Tags: d.tags } : {}),
      },
    }, wait]);
  }
  if (src?.copyOf) {
    // CopyImage runs in the source Region and does not copy tags (§7.4): tag the copy afterwards.
    return chain([
      {
        id: "create", op: "image.copy",
        params: {
          region: src.copyOf.region, SourceImageName: src.copyOf.name, DestinationImageName: d.name, DestinationRegion: region,
          ...(s.description ? { DestinationImageDescription: s.description } : {}),
        },
      },
      wait,
      ...(d.tags ? [tagStep("tag", undefined, d.address, d.tags, [])] : []),
    ]);
  }
  throw new AppError(
    "ref.unknown-image",
    `${d.address} declares no source to produce it from: it does not exist in ${region}, or its description or displayName differ from the manifest (an adopted image cannot be changed)`,
    { source: "user" },
  );
}

/**
 * Dry-runs the producing call (§7.4): CreateUpdatedImage `dryRun` answers whether an update exists;
 * CreateImportedImage `DryRun` (either import) runs the import checks and "fails" with
 * DryRunOperationException when they pass. CopyImage has no dry run.
 */
async function preflight(d: DesiredResource, ctx: ReadContext): Promise<{ read?: PlanRead; warning?: string }> {
  const src = (d.spec as unknown as ImageSpec).source;
  const create = produce(d, ctx.region)[0]!;
  try {
    if (src?.updateOf) {
      const out = await ctx.api.call("CreateUpdatedImage", { ...(create.params as { existingImageName: string; newImageName: string }), dryRun: true });
      return out.canUpdateImage
        ? { read: { address: d.address, description: `managed update of ${src.updateOf} (dry run)`, result: "update available" } }
        : { warning: `no managed update is available for ${src.updateOf} yet: creating ${d.name} will fail until AWS publishes one` };
    }
    if (src?.importFromAmi || src?.importFromWorkSpaces) {
      await ctx.api.call("CreateImportedImage", { ...(create.params as { Name: string }), DryRun: true });
    }
    return {};
  } catch (err) {
    if (kindOf(err) === "dry-run-ok") {
      const what = src?.importFromAmi?.sourceAmiId ?? src?.importFromWorkSpaces?.workspaceImageId;
      return { read: { address: d.address, description: `import of ${what} (dry run)`, result: "checks passed" } };
    }
    return { warning: `the dry run of ${create.op} failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export const image = defineKind<ImageSpec>()({
  kind: "Image",
  rank: 20,
  noun: "image",
  key: "images",
  identity: "name",
  required: ["name"],
  taggable: true,
  ownership: "tag",
  description: "A private image: adopted, or produced from a source; shared with other accounts",
  external: "Images managed elsewhere that images of this manifest may update or copy",
  fields,
  refs: [],
  softRefs: [{ target: "images", names: (s) => (s.source?.updateOf ? [s.source.updateOf] : []) }],
  rules,
  waiter: imageWaiter,
  ops: imageOps,
  async read(ctx) {
    return (await describeImages(ctx.api, { Type: "PRIVATE", MaxResults: IMAGES_PAGE })).map(normalizeImage);
  },
  catalog: (ctx) => imageCatalog(ctx, normalizeImage),
  arn: async (ctx, name, opts) => (await ctx.call("DescribeImages", { Names: [name] }, opts)).Images?.[0]?.Arn,
  association: {
    field: "sharedWith",
    live: (name, live) =>
      live
        .filter((l) => l.kind === "ImagePermission" && l.spec.image === name)
        .map((l) => shareOf(String(l.spec.accountId), l.spec.allowFleet, l.spec.allowImageBuilder))
        .sort((a, b) => a.accountId.localeCompare(b.accountId)),
    declared: (spec) =>
      ((spec.sharedWith as ImageShare[] | undefined) ?? [])
        .map((s) => shareOf(s.accountId, s.allowFleet, s.allowImageBuilder))
        .sort((a, b) => a.accountId.localeCompare(b.accountId)),
  },
  // DeleteImage answers ResourceInUse while a fleet or builder streams from it (§7.4).
  inUseHint:
    "An image cannot be deleted while it is in use (DeleteImage answers ResourceInUse): " +
    "give the new image another name (an imageSelector picks it up) and move the fleets and builders to it, then remove the old entry.",
  async readOne(ctx, name) {
    const image = (await ctx.api.call("DescribeImages", { Names: [name] })).Images?.find((i) => i.Visibility === "PRIVATE");
    return image && normalizeImage(image);
  },
  create: (d, ctx) => produce(d, ctx.region),
  preflight,
  update: () => ({ steps: [], disruption: "none", reason: "" }),
  settle(l) {
    if (l.state === "FAILED") {
      const why = l.errors?.map((e) => `${e.code}: ${e.message}`).join("; ") || "no reason given";
      return { warning: `image ${l.name} FAILED: ${why}; nothing can use it — remove it and produce it again under a new name` };
    }
    // Produced images pass through these states on their way to AVAILABLE (§7.2).
    if (!l.state || !IN_PRODUCTION.has(l.state)) return undefined;
    return {
      steps: [waitStep("available", "image", l.name, "AVAILABLE", [])],
      diff: { path: "state", before: l.state, after: "AVAILABLE", sensitive: false, why: "state" },
    };
  },
  remove(l) {
    return chain([{ id: "delete", op: "image.delete", params: { Name: l.name } }, waitStep("gone", "image", l.name, "GONE", [])]);
  },
});
