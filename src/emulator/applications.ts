/**
 * Applications of Elastic fleets (reference §12.2): CreateApplication, UpdateApplication, DescribeApplications,
 * DeleteApplication. Records live in `applications` keyed by name and keep the request's members under the
 * names the service returns them (the app-block area reads `AppBlockArn` of these records to refuse
 * DeleteAppBlock while an application uses the block). Rules APP-xx in SPEC.md.
 */
import type {
  CreateApplicationRequest,
  DeleteApplicationRequest,
  DescribeApplicationsRequest,
  UpdateApplicationRequest,
} from "@aws-sdk/client-appstream";
import { applicationByArn, applicationsOf, entitlementsOfApplication, fleetsOfApplication, type ApplicationRecord, type S3Location } from "./application-links.js";
import { appBlockStatus, findAppBlockByArn } from "./app-blocks.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { ApiError, alreadyExists, inUse, notFound, notPermitted } from "./errors.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { arnOf, isVisible } from "./store.js";
import { dropTags, storeCreateTags } from "./tags.js";

/** The instance families CreateApplication accepts (model documentation of `InstanceFamilies`). */
export const INSTANCE_FAMILIES: ReadonlySet<string> = new Set(["GENERAL_PURPOSE", "GRAPHICS_G4"]);

/** UpdateApplication members that set a stored member of the same name. */
const UPDATABLE = ["DisplayName", "Description", "IconS3Location", "LaunchPath", "WorkingDirectory", "LaunchParameters", "AppBlockArn"] as const;

/** ApplicationAttribute (AttributesToDelete) → the member it clears. */
const ATTRIBUTE_MEMBER: Record<string, "LaunchParameters" | "WorkingDirectory"> = {
  LAUNCH_PARAMETERS: "LaunchParameters",
  WORKING_DIRECTORY: "WorkingDirectory",
};

/** An app block as this area needs it: its ARN and state. */
export interface AppBlockRef {
  arn: string;
  state: string;
}

/** The app block an ARN names (the app-block area's record) and its state now. */
export function appBlockByArn(ctx: OpContext, arn: unknown): AppBlockRef | undefined {
  const block = findAppBlockByArn(ctx, arn);
  return block ? { arn: block.attrs.Arn, state: appBlockStatus(ctx, block).state } : undefined;
}

function requireAppBlock(ctx: OpContext, arn: string): AppBlockRef {
  const block = appBlockByArn(ctx, arn);
  if (!block) throw notFound(`The app block ${arn} does not exist.`);
  return block;
}

function requireApplication(ctx: OpContext, name: unknown): ApplicationRecord {
  const rec = typeof name === "string" ? applicationsOf(ctx)[name] : undefined;
  if (!rec) throw notFound(`The application ${String(name)} does not exist.`);
  return rec;
}

/**
 * The icon URL the service hands out for the icon's S3 object (the model says it "might be time-limited"; this
 * one is stable so that two reads compare equal).
 */
function iconUrl(ctx: OpContext, icon: S3Location): string {
  const key = (icon.S3Key ?? "").split("/").map(encodeURIComponent).join("/");
  return `https://${icon.S3Bucket}.s3.${ctx.region}.amazonaws.com/${key}`;
}

/** The API `Application` shape for a record. */
export function applicationView(ctx: OpContext, rec: ApplicationRecord): Record<string, unknown> {
  const { createdAt, visibleAt: _visibleAt, ...members } = rec;
  return { ...structuredClone(members), IconURL: iconUrl(ctx, rec.IconS3Location), CreatedTime: epoch(createdAt) };
}

/** InstanceFamilies is a plain string list in the model; its documentation names the valid values (APP-04). */
function checkInstanceFamilies(families: readonly string[]): void {
  const bad = families.filter((f) => !INSTANCE_FAMILIES.has(f));
  if (bad.length > 0 || families.length === 0) {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value '[${families.join(", ")}]' at 'instanceFamilies' failed to satisfy constraint: Member must contain only GENERAL_PURPOSE or GRAPHICS_G4 and at least one of them`,
    );
  }
}

const createApplication = op<CreateApplicationRequest>((ctx, input) => {
  const apps = applicationsOf(ctx);
  const name = String(input.Name);
  if (apps[name]) throw alreadyExists(`The application ${name} already exists.`);
  checkInstanceFamilies(input.InstanceFamilies ?? []);
  const appBlockArn = String(input.AppBlockArn);
  requireAppBlock(ctx, appBlockArn);
  const rec: ApplicationRecord = {
    Name: name,
    Arn: arnOf(ctx.region, ctx.account, "application", name),
    IconS3Location: structuredClone(input.IconS3Location as S3Location),
    LaunchPath: String(input.LaunchPath),
    Platforms: [...(input.Platforms ?? [])],
    InstanceFamilies: [...(input.InstanceFamilies ?? [])],
    AppBlockArn: appBlockArn,
    Enabled: true,
    createdAt: ctx.now,
    visibleAt: visibleAtFor(ctx),
  };
  for (const m of ["DisplayName", "Description", "WorkingDirectory", "LaunchParameters"] as const) {
    if (input[m] !== undefined) rec[m] = input[m];
  }
  apps[name] = rec;
  storeCreateTags(ctx, rec.Arn, input.Tags);
  return { Application: applicationView(ctx, rec) };
});

const updateApplication = op<UpdateApplicationRequest>((ctx, input, raw) => {
  const rec = requireApplication(ctx, input.Name);
  const toDelete = [...(input.AttributesToDelete ?? [])];
  for (const a of toDelete) {
    const member = ATTRIBUTE_MEMBER[a];
    // Guess (SPEC.md): UpdateApplication models no InvalidParameterCombination; OperationNotPermitted is the closest.
    if (member && raw[member] !== undefined) throw notPermitted(`The attribute ${a} cannot be both set and deleted in the same request.`);
  }
  if (input.AppBlockArn !== undefined) requireAppBlock(ctx, input.AppBlockArn);
  const next: ApplicationRecord = structuredClone(rec);
  for (const a of toDelete) {
    const member = ATTRIBUTE_MEMBER[a];
    if (member) delete next[member];
  }
  const target = next as unknown as Record<string, unknown>;
  for (const m of UPDATABLE) if (raw[m] !== undefined) target[m] = structuredClone(raw[m]);
  applicationsOf(ctx)[rec.Name] = next;
  return { Application: applicationView(ctx, next) };
});

const describeApplications = op<DescribeApplicationsRequest>((ctx, input) => {
  const arns = input.Arns ?? [];
  let list: ApplicationRecord[];
  if (arns.length > 0) {
    list = arns.map((arn) => {
      const rec = applicationByArn(ctx, arn);
      if (!rec || !isVisible(rec, ctx.now)) throw notFound(`The application ${arn} does not exist.`);
      return rec;
    });
  } else {
    list = Object.values(applicationsOf(ctx))
      .filter((r) => isVisible(r, ctx.now))
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }
  const page = paginate(list, `DescribeApplications|${arns.join(",")}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { Applications: page.items.map((r) => applicationView(ctx, r)), NextToken: page.nextToken };
});

const deleteApplication = op<DeleteApplicationRequest>((ctx, input) => {
  const rec = requireApplication(ctx, input.Name);
  const fleets = fleetsOfApplication(ctx, rec.Arn);
  if (fleets.length > 0) {
    throw inUse(`The application ${rec.Name} is associated with the fleets ${fleets.join(", ")}. Disassociate it from every fleet first.`);
  }
  const entitlements = entitlementsOfApplication(ctx, rec.Name);
  if (entitlements.length > 0) {
    throw inUse(`The application ${rec.Name} is associated with the entitlements ${entitlements.join(", ")}. Disassociate it from every entitlement first.`);
  }
  delete applicationsOf(ctx)[rec.Name];
  dropTags(ctx, rec.Arn);
  return {};
});

/** Application operations for the registry in ops.ts. */
export const applicationOps: Record<string, OpHandler> = {
  CreateApplication: createApplication,
  UpdateApplication: updateApplication,
  DescribeApplications: describeApplications,
  DeleteApplication: deleteApplication,
};
