/**
 * Application ↔ Elastic fleet associations (reference §12.2): AssociateApplicationFleet,
 * DisassociateApplicationFleet, DescribeApplicationFleetAssociations. Stored in `applicationFleets` keyed by
 * `FLEET|APPLICATION_ARN`; a fleet holds many applications and an application may serve many fleets.
 * Rules APPFLEET-xx in SPEC.md.
 */
import type {
  AssociateApplicationFleetRequest,
  DescribeApplicationFleetAssociationsRequest,
  DisassociateApplicationFleetRequest,
} from "@aws-sdk/client-appstream";
import { applicationByArn, applicationFleetKey as keyOf, applicationFleetsOf as associationsOf } from "./application-links.js";
import { appBlockByArn } from "./applications.js";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { badCombination, notFound, notPermitted } from "./errors.js";
import type { FleetRecord } from "./fleet-record.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { isVisible } from "./store.js";

/** The output list holds at most 25 associations (model: ApplicationFleetAssociationList max 25). */
const MAX_PAGE = 25;

/** The instance family of every Elastic fleet instance type (stream.standard.*, FLEET-11). */
const ELASTIC_FAMILY = "GENERAL_PURPOSE";


const associateApplicationFleet = op<AssociateApplicationFleetRequest>((ctx, input) => {
  const fleetName = String(input.FleetName);
  const arn = String(input.ApplicationArn);
  const fleet = ctx.store.table<FleetRecord>(ctx.region, "fleets")[fleetName];
  if (!fleet) throw notFound(`The fleet ${fleetName} does not exist.`);
  const app = applicationByArn(ctx, arn);
  if (!app) throw notFound(`The application ${arn} does not exist.`);
  if (fleet.attrs.FleetType !== "ELASTIC") {
    // Guess (SPEC.md): the model says "only supported for Elastic fleets" without naming the error.
    throw notPermitted(`The fleet ${fleetName} is ${fleet.attrs.FleetType}. Applications can be associated only with Elastic fleets.`);
  }
  const platform = fleet.attrs.Platform;
  if (platform === undefined || !app.Platforms.includes(platform)) {
    throw badCombination(`The application ${app.Name} supports the platforms ${app.Platforms.join(", ")}, not the fleet's ${String(platform)}.`);
  }
  if (!app.InstanceFamilies.includes(ELASTIC_FAMILY)) {
    throw badCombination(`The application ${app.Name} supports the instance families ${app.InstanceFamilies.join(", ")}; Elastic fleets run ${ELASTIC_FAMILY} instances.`);
  }
  const block = appBlockByArn(ctx, app.AppBlockArn);
  if (!block || block.state !== "ACTIVE") {
    throw notPermitted(`The app block ${app.AppBlockArn} of the application ${app.Name} is ${block ? block.state : "gone"}; an Elastic fleet needs ACTIVE app blocks.`);
  }
  const table = associationsOf(ctx);
  const key = keyOf(fleetName, arn);
  if (!table[key]) table[key] = { FleetName: fleetName, ApplicationArn: arn, createdAt: ctx.now, visibleAt: visibleAtFor(ctx) };
  return { ApplicationFleetAssociation: { FleetName: fleetName, ApplicationArn: arn } };
});

const disassociateApplicationFleet = op<DisassociateApplicationFleetRequest>((ctx, input) => {
  // Guess (SPEC.md): no not-found error is modeled, so a pair that is not associated is a no-op.
  delete associationsOf(ctx)[keyOf(String(input.FleetName), String(input.ApplicationArn))];
  return {};
});

const describeApplicationFleetAssociations = op<DescribeApplicationFleetAssociationsRequest>((ctx, input) => {
  if (input.FleetName === undefined && input.ApplicationArn === undefined) {
    throw badCombination("Either ApplicationArn or FleetName must be specified.");
  }
  const list = Object.values(associationsOf(ctx))
    .filter((a) => isVisible(a, ctx.now))
    .filter((a) => input.FleetName === undefined || a.FleetName === input.FleetName)
    .filter((a) => input.ApplicationArn === undefined || a.ApplicationArn === input.ApplicationArn)
    .sort((a, b) => a.FleetName.localeCompare(b.FleetName) || a.ApplicationArn.localeCompare(b.ApplicationArn))
    .map((a) => ({ FleetName: a.FleetName, ApplicationArn: a.ApplicationArn }));
  const scope = `DescribeApplicationFleetAssociations|${input.FleetName ?? ""}|${input.ApplicationArn ?? ""}`;
  const size = Math.min(MAX_PAGE, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  const page = paginate(list, scope, input.NextToken, size);
  return { ApplicationFleetAssociations: page.items.length > 0 ? page.items : undefined, NextToken: page.nextToken };
});

/** Application–fleet association operations for the registry in ops.ts. */
export const applicationFleetOps: Record<string, OpHandler> = {
  AssociateApplicationFleet: associateApplicationFleet,
  DisassociateApplicationFleet: disassociateApplicationFleet,
  DescribeApplicationFleetAssociations: describeApplicationFleetAssociations,
};
