/**
 * ApplicationFleetAssociation (reference §12.2): an application's `fleets`. Keyed `APP/FLEET` and read per
 * application with DescribeApplicationFleetAssociations. Only ELASTIC fleets take applications; a fleet
 * holds many and an application serves many, so there is no "one per parent". The service names the
 * application by ARN: the association op looks it up when it runs, so an application made in the same
 * apply is found.
 */
import type { DisassociateApplicationFleetCommandInput } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import { AppError } from "../core/errors.js";
import { applicationArn } from "./application.js";
import type { DesiredResource, LiveResource } from "./contract.js";
import { nameFromArn } from "./convert.js";
import { defineDerivedKind, type OpCtx, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, param, referring } from "./op-helpers.js";

export const applicationFleetAddress = (application: string, fleet: string): string => `ApplicationFleetAssociation/${application}/${fleet}`;

function live(application: string, fleet: string, arn: string): LiveResource {
  return {
    kind: "ApplicationFleetAssociation", name: `${application}/${fleet}`, address: applicationFleetAddress(application, fleet),
    spec: { application, fleet, applicationArn: arn },
  };
}

/** Every page of DescribeApplicationFleetAssociations for one application or one fleet. */
async function associations(api: { call: AppStreamApi["call"] | OpCtx["call"] }, by: { ApplicationArn: string } | { FleetName: string }): Promise<{ FleetName?: string; ApplicationArn?: string }[]> {
  return collect(async (token) => {
    const out = await api.call("DescribeApplicationFleetAssociations", { ...by, ...(token ? { NextToken: token } : {}) });
    return { items: out.ApplicationFleetAssociations ?? [], next: out.NextToken };
  }, { label: "DescribeApplicationFleetAssociations" });
}

/** The op names the application; the service wants its ARN. */
export interface AssociateApplicationFleetParams {
  FleetName: string;
  ApplicationName: string;
}

export const applicationFleetAssociation = defineDerivedKind({
  kind: "ApplicationFleetAssociation",
  rank: 62,
  noun: "application fleet association",
  fields: {},
  taggable: false,
  ownership: "owner",
  parents: (l) => [`Application/${String(l.spec.application)}`, `Fleet/${String(l.spec.fleet)}`],
  readPer: "Application",
  ownerKind: "Application",
  // The association is the application's `fleets`: pruning a fleet must not change an application managed elsewhere.
  removalChangesOwner: true,
  ops: {
    "application-fleet.create": (async (ctx, s) => {
      const app = param(s, "ApplicationName");
      const fleet = param(s, "FleetName");
      const arn = await applicationArn(ctx, app);
      if (!arn) throw new AppError("apply.failed", `${s.address}: application ${app} does not exist in this Region`, { source: "aws" });
      return createOrRaced(
        () => ctx.call("AssociateApplicationFleet", { FleetName: fleet, ApplicationArn: arn }, referring(ctx, s.address)),
        async () => (await associations(ctx, { ApplicationArn: arn })).some((a) => a.FleetName === fleet),
      );
    }) satisfies OpFn<AssociateApplicationFleetParams>,
    "application-fleet.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DisassociateApplicationFleet", s.params, { resource: s.address }))) satisfies OpFn<DisassociateApplicationFleetCommandInput>,
  },
  async read(ctx, prior) {
    const apps = prior.of("Application").filter((a) => a.arn !== undefined);
    const per = await ctx.map(apps, async (a) => (await associations(ctx.api, { ApplicationArn: a.arn! })).map((x) => live(a.name, x.FleetName ?? "", a.arn!)));
    return per.flat();
  },
  async readOf(ctx, parent) {
    if (parent.kind !== "Fleet") return [];
    return (await associations(ctx.api, { FleetName: parent.name })).map((x) => live(nameFromArn(x.ApplicationArn) ?? "", parent.name, x.ApplicationArn ?? ""));
  },
  derive(m) {
    const out: DesiredResource[] = [];
    (m.applications ?? []).forEach((a, i) => {
      const application = a.name as string;
      ((a.fleets as string[] | undefined) ?? []).forEach((fleet, j) => {
        out.push({
          kind: "ApplicationFleetAssociation", name: `${application}/${fleet}`, address: applicationFleetAddress(application, fleet),
          spec: { application, fleet }, pointer: `/applications/${i}/fleets/${j}`, dependsOn: [`Application/${application}`, `Fleet/${fleet}`],
        });
      });
    });
    return out;
  },
  create: (d) => [{ id: "create", op: "application-fleet.create", params: { ApplicationName: d.spec.application, FleetName: d.spec.fleet } }],
  update: () => ({ steps: [], disruption: "none", reason: "" }),
  remove: (l) => [{ id: "delete", op: "application-fleet.delete", params: { FleetName: l.spec.fleet, ApplicationArn: l.spec.applicationArn } }],
});
