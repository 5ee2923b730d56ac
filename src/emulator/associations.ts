/**
 * Fleet ↔ stack associations (reference §5). Stored in `stackFleets` keyed by stack name, because a stack
 * holds at most one fleet; a fleet may serve several stacks. ListAssociated* never fail (no modeled errors):
 * unknown names give an empty list.
 */
import type {
  AssociateFleetRequest,
  DisassociateFleetRequest,
  ListAssociatedFleetsRequest,
  ListAssociatedStacksRequest,
} from "@aws-sdk/client-appstream";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { notFound, notPermitted } from "./errors.js";
import type { FleetRecord } from "./fleet-record.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { isVisible, type BaseRecord } from "./store.js";

/** One association. */
export interface StackFleetRecord extends BaseRecord {
  StackName: string;
  FleetName: string;
}

/** The association table of the request's region (key: stack name). */
export function associationsOf(ctx: Pick<OpContext, "store" | "region">) {
  return ctx.store.table<StackFleetRecord>(ctx.region, "stackFleets");
}

/** Names of the stacks a fleet is associated with, sorted. */
export function stacksOfFleet(ctx: OpContext, fleetName: string): string[] {
  return Object.values(associationsOf(ctx))
    .filter((a) => a.FleetName === fleetName)
    .map((a) => a.StackName)
    .sort();
}

/** The fleet associated with a stack, if any. */
export function fleetOfStack(ctx: Pick<OpContext, "store" | "region">, stackName: string): string | undefined {
  return associationsOf(ctx)[stackName]?.FleetName;
}

function requireBoth(ctx: OpContext, stackName: unknown, fleetName: unknown): { stack: string; fleet: string } {
  const stack = String(stackName);
  const fleet = String(fleetName);
  if (!ctx.store.table<BaseRecord>(ctx.region, "stacks")[stack]) throw notFound(`The stack ${stack} does not exist.`);
  if (!ctx.store.table<FleetRecord>(ctx.region, "fleets")[fleet]) throw notFound(`The fleet ${fleet} does not exist.`);
  return { stack, fleet };
}

const associateFleet = op<AssociateFleetRequest>((ctx, input) => {
  const { stack, fleet } = requireBoth(ctx, input.StackName, input.FleetName);
  const current = associationsOf(ctx)[stack];
  if (current?.FleetName === fleet) return {};
  if (current) {
    // Guess (SPEC.md ASSOC-03): OperationNotPermitted rather than LimitExceeded, which the SDK retries.
    throw notPermitted(`The stack ${stack} already has the fleet ${current.FleetName} associated. First, disassociate the associated fleet.`);
  }
  associationsOf(ctx)[stack] = { StackName: stack, FleetName: fleet, createdAt: ctx.now, visibleAt: visibleAtFor(ctx) };
  return {};
});

const disassociateFleet = op<DisassociateFleetRequest>((ctx, input) => {
  const { stack, fleet } = requireBoth(ctx, input.StackName, input.FleetName);
  if (associationsOf(ctx)[stack]?.FleetName !== fleet) {
    throw notFound(`The fleet ${fleet} is not associated with the stack ${stack}.`);
  }
  delete associationsOf(ctx)[stack];
  return {};
});

/** The association of a stack as List calls see it (eventual consistency, FAULT-08). */
function listedAssociation(ctx: OpContext, stackName: string): StackFleetRecord | undefined {
  const a = associationsOf(ctx)[stackName];
  return a && isVisible(a, ctx.now) ? a : undefined;
}

const listAssociatedFleets = op<ListAssociatedFleetsRequest>((ctx, input) => {
  const fleet = listedAssociation(ctx, String(input.StackName))?.FleetName;
  const page = paginate(fleet ? [fleet] : [], `ListAssociatedFleets|${String(input.StackName)}`, input.NextToken, pageSizeOf(undefined, ctx.config.pageSize));
  return { Names: page.items, NextToken: page.nextToken };
});

const listAssociatedStacks = op<ListAssociatedStacksRequest>((ctx, input) => {
  const names = stacksOfFleet(ctx, String(input.FleetName)).filter((s) => listedAssociation(ctx, s) !== undefined);
  const page = paginate(names, `ListAssociatedStacks|${String(input.FleetName)}`, input.NextToken, pageSizeOf(undefined, ctx.config.pageSize));
  return { Names: page.items, NextToken: page.nextToken };
});

/** Association operations for the registry in ops.ts. */
export const associationOps: Record<string, OpHandler> = {
  AssociateFleet: associateFleet,
  DisassociateFleet: disassociateFleet,
  ListAssociatedFleets: listAssociatedFleets,
  ListAssociatedStacks: listAssociatedStacks,
};
