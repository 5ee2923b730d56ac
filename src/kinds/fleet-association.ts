/**
 * FleetAssociation (reference §5): a stack's `fleet` field. Keyed `STACK/FLEET` and read back per stack
 * with ListAssociatedFleets, as the Terraform provider models it. It has no fields of its own: a change
 * of a stack's fleet is a delete of one association and a create of another, and because a stack holds
 * one fleet, the planner orders the delete first (see `exclusiveKey`).
 */
import { collect } from "../aws/paginate.js";
import type { DesiredResource, KindPlanner, LiveResource } from "./contract.js";
import { chain, LISTED, waitStep } from "./steps.js";

export const fleetAssociationAddress = (stack: string, fleet: string): string => `FleetAssociation/${stack}/${fleet}`;

function live(stack: string, fleet: string): LiveResource {
  return { kind: "FleetAssociation", name: `${stack}/${fleet}`, address: fleetAssociationAddress(stack, fleet), spec: { stack, fleet } };
}

export const fleetAssociationPlanner: KindPlanner = {
  kind: "FleetAssociation",
  fields: {},
  taggable: false,
  // The association is the stack's `fleet`: pruning a fleet must not empty a stack managed elsewhere.
  removalChangesOwner: true,
  async read(ctx, prior) {
    const stacks = prior.of("Stack");
    const perStack = await ctx.map(stacks, async (s) => {
      const fleets = await collect(async (token) => {
        const out = await ctx.api.call("ListAssociatedFleets", { StackName: s.name, ...(token ? { NextToken: token } : {}) });
        return { items: out.Names ?? [], next: out.NextToken };
      }, { label: "ListAssociatedFleets" });
      return fleets.map((f) => live(s.name, f));
    });
    return perStack.flat();
  },
  async readOf(ctx, parent) {
    if (parent.kind !== "Fleet") return [];
    const stacks = await collect(async (token) => {
      const out = await ctx.api.call("ListAssociatedStacks", { FleetName: parent.name, ...(token ? { NextToken: token } : {}) });
      return { items: out.Names ?? [], next: out.NextToken };
    }, { label: "ListAssociatedStacks" });
    return stacks.map((s) => live(s, parent.name));
  },
  derive(m) {
    const out: DesiredResource[] = [];
    (m.stacks ?? []).forEach((s, i) => {
      const stack = s.name as string;
      const fleet = s.fleet as string | undefined;
      if (!fleet) return;
      out.push({
        kind: "FleetAssociation", name: `${stack}/${fleet}`, address: fleetAssociationAddress(stack, fleet),
        spec: { stack, fleet }, pointer: `/stacks/${i}/fleet`, dependsOn: [`Stack/${stack}`, `Fleet/${fleet}`],
      });
    });
    return out;
  },
  create: (d) =>
    chain([
      { id: "create", op: "fleet-association.create", params: { StackName: d.spec.stack, FleetName: d.spec.fleet } },
      waitStep("listed", "fleet-association", d.name, LISTED, []),
    ]),
  update: () => ({ steps: [], disruption: "none", reason: "" }),
  remove: (l) => [{ id: "delete", op: "fleet-association.delete", params: { StackName: l.spec.stack, FleetName: l.spec.fleet } }],
};
