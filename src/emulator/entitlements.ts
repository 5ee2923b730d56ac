/**
 * Entitlements of stacks (reference §12.3): CreateEntitlement, UpdateEntitlement, DescribeEntitlements,
 * DeleteEntitlement, AssociateApplicationToEntitlement, DisassociateApplicationFromEntitlement,
 * ListEntitledApplications. An entitlement belongs to one stack: records live in `entitlements` keyed by
 * `STACK/NAME` and carry the identifiers of their entitled applications. A missing stack is
 * ResourceNotFoundException, a missing entitlement EntitlementNotFoundException. Rules ENT-xx in SPEC.md.
 */
import type {
  AssociateApplicationToEntitlementRequest,
  CreateEntitlementRequest,
  DeleteEntitlementRequest,
  DescribeEntitlementsRequest,
  DisassociateApplicationFromEntitlementRequest,
  ListEntitledApplicationsRequest,
  UpdateEntitlementRequest,
} from "@aws-sdk/client-appstream";
import { applicationsOf, entitlementKey as keyOf, entitlementsOf as entitlementsTable, type EntitlementRecord } from "./application-links.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { ApiError, notFound } from "./errors.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { isVisible, type BaseRecord, type ImageRecord } from "./store.js";

/** The SAML attribute names an entitlement may match (model documentation of EntitlementAttribute.Name). */
export const ENTITLEMENT_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(["roles", "department", "organization", "groups", "title", "costCenter", "userType"]);


/** Removes every entitlement of a deleted stack (STACK-10, ENT-11). */
export function dropEntitlementsOfStack(ctx: Pick<OpContext, "store" | "region">, stackName: string): void {
  const table = entitlementsTable(ctx);
  for (const [key, e] of Object.entries(table)) if (e.StackName === stackName) delete table[key];
}

function requireStack(ctx: OpContext, stackName: unknown): string {
  const name = String(stackName);
  if (!ctx.store.table<BaseRecord>(ctx.region, "stacks")[name]) throw notFound(`The stack ${name} does not exist.`);
  return name;
}

function entitlementNotFound(stack: string, name: string): ApiError {
  return new ApiError("EntitlementNotFoundException", `The entitlement ${name} does not exist for the stack ${stack}.`);
}

/** The entitlement of a stack, visible or not (mutations see through eventual consistency). */
function requireEntitlement(ctx: OpContext, stackName: unknown, name: unknown): EntitlementRecord {
  const stack = requireStack(ctx, stackName);
  const rec = entitlementsTable(ctx)[keyOf(stack, String(name))];
  if (!rec) throw entitlementNotFound(stack, String(name));
  return rec;
}

/** The attribute names are a closed list in the model's documentation only, so validate.ts cannot check them. */
function checkAttributes(attributes: readonly { Name?: string }[]): void {
  const bad = attributes.map((a) => String(a.Name)).filter((n) => !ENTITLEMENT_ATTRIBUTE_NAMES.has(n));
  if (bad.length > 0) {
    throw new ApiError(
      "ValidationException",
      `1 validation error detected: Value '${bad[0]}' at 'attributes.member.name' failed to satisfy constraint: Member must be one of [${[...ENTITLEMENT_ATTRIBUTE_NAMES].join(", ")}]`,
    );
  }
}

function entitlementView(rec: EntitlementRecord): Record<string, unknown> {
  return {
    Name: rec.Name,
    StackName: rec.StackName,
    Description: rec.Description,
    AppVisibility: rec.AppVisibility,
    Attributes: structuredClone(rec.Attributes),
    CreatedTime: epoch(rec.createdAt),
    LastModifiedTime: epoch(rec.modifiedAt),
  };
}

const createEntitlement = op<CreateEntitlementRequest>((ctx, input) => {
  const stack = requireStack(ctx, input.StackName);
  const name = String(input.Name);
  const table = entitlementsTable(ctx);
  if (table[keyOf(stack, name)]) {
    throw new ApiError("EntitlementAlreadyExistsException", `The entitlement ${name} already exists for the stack ${stack}.`);
  }
  checkAttributes(input.Attributes ?? []);
  const rec: EntitlementRecord = {
    Name: name,
    StackName: stack,
    AppVisibility: String(input.AppVisibility),
    Attributes: (input.Attributes ?? []).map((a) => ({ Name: String(a.Name), Value: String(a.Value) })),
    applications: [],
    createdAt: ctx.now,
    modifiedAt: ctx.now,
    visibleAt: visibleAtFor(ctx),
  };
  if (input.Description !== undefined) rec.Description = input.Description;
  table[keyOf(stack, name)] = rec;
  return { Entitlement: entitlementView(rec) };
});

const updateEntitlement = op<UpdateEntitlementRequest>((ctx, input) => {
  const rec = requireEntitlement(ctx, input.StackName, input.Name);
  if (input.Attributes !== undefined) checkAttributes(input.Attributes);
  if (input.Description !== undefined) rec.Description = input.Description;
  if (input.AppVisibility !== undefined) rec.AppVisibility = input.AppVisibility;
  if (input.Attributes !== undefined) rec.Attributes = input.Attributes.map((a) => ({ Name: String(a.Name), Value: String(a.Value) }));
  rec.modifiedAt = ctx.now;
  return { Entitlement: entitlementView(rec) };
});

const describeEntitlements = op<DescribeEntitlementsRequest>((ctx, input) => {
  const stack = requireStack(ctx, input.StackName);
  let list: EntitlementRecord[];
  if (input.Name !== undefined) {
    const rec = entitlementsTable(ctx)[keyOf(stack, input.Name)];
    if (!rec || !isVisible(rec, ctx.now)) throw entitlementNotFound(stack, input.Name);
    list = [rec];
  } else {
    list = Object.values(entitlementsTable(ctx))
      .filter((e) => e.StackName === stack && isVisible(e, ctx.now))
      .sort((a, b) => a.Name.localeCompare(b.Name));
  }
  const page = paginate(list, `DescribeEntitlements|${stack}|${input.Name ?? ""}`, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { Entitlements: page.items.map(entitlementView), NextToken: page.nextToken };
});

const deleteEntitlement = op<DeleteEntitlementRequest>((ctx, input) => {
  const rec = requireEntitlement(ctx, input.StackName, input.Name);
  delete entitlementsTable(ctx)[keyOf(rec.StackName, rec.Name)];
  return {};
});

/**
 * Whether an ApplicationIdentifier names an application the stack can entitle: an application of this region
 * (Elastic fleets), or an application in the image of the fleet associated with the stack.
 */
function knownApplication(ctx: OpContext, stack: string, identifier: string): boolean {
  if (applicationsOf(ctx)[identifier]) return true;
  const fleetName = ctx.store.table<{ FleetName: string }>(ctx.region, "stackFleets")[stack]?.FleetName;
  const fleet = fleetName ? ctx.store.table<{ attrs: { ImageName?: string } }>(ctx.region, "fleets")[fleetName] : undefined;
  const image = fleet?.attrs.ImageName ? ctx.store.table<ImageRecord>(ctx.region, "images")[fleet.attrs.ImageName] : undefined;
  const apps = image?.attrs.Applications;
  return Array.isArray(apps) && apps.some((a: { Name?: string }) => a?.Name === identifier);
}

const associateApplicationToEntitlement = op<AssociateApplicationToEntitlementRequest>((ctx, input) => {
  const rec = requireEntitlement(ctx, input.StackName, input.EntitlementName);
  const identifier = String(input.ApplicationIdentifier);
  if (!knownApplication(ctx, rec.StackName, identifier)) throw notFound(`The application ${identifier} does not exist.`);
  if (!rec.applications.includes(identifier)) rec.applications.push(identifier);
  return {};
});

const disassociateApplicationFromEntitlement = op<DisassociateApplicationFromEntitlementRequest>((ctx, input) => {
  const rec = requireEntitlement(ctx, input.StackName, input.EntitlementName);
  const identifier = String(input.ApplicationIdentifier);
  if (!rec.applications.includes(identifier)) {
    throw notFound(`The application ${identifier} is not associated with the entitlement ${rec.Name}.`);
  }
  rec.applications = rec.applications.filter((a) => a !== identifier);
  return {};
});

const listEntitledApplications = op<ListEntitledApplicationsRequest>((ctx, input) => {
  const rec = requireEntitlement(ctx, input.StackName, input.EntitlementName);
  if (!isVisible(rec, ctx.now)) throw entitlementNotFound(rec.StackName, rec.Name);
  const list = [...rec.applications].sort().map((id) => ({ ApplicationIdentifier: id }));
  const scope = `ListEntitledApplications|${rec.StackName}|${rec.Name}`;
  const page = paginate(list, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { EntitledApplications: page.items, NextToken: page.nextToken };
});

/** Entitlement operations for the registry in ops.ts. */
export const entitlementOps: Record<string, OpHandler> = {
  CreateEntitlement: createEntitlement,
  UpdateEntitlement: updateEntitlement,
  DescribeEntitlements: describeEntitlements,
  DeleteEntitlement: deleteEntitlement,
  AssociateApplicationToEntitlement: associateApplicationToEntitlement,
  DisassociateApplicationFromEntitlement: disassociateApplicationFromEntitlement,
  ListEntitledApplications: listEntitledApplications,
};
