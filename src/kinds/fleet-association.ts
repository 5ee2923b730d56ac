/**
 * FleetAssociation (reference §5): a stack's `fleet` field. Keyed `STACK/FLEET` and read back per stack
 * with ListAssociatedFleets, as the Terraform provider models it. It has no fields of its own: a change
 * of a stack's fleet is a delete of one association and a create of another, and because a stack holds
 * one fleet, the planner orders the delete first (`exclusive`).
 */
import type { AssociateFleetCommandInput, DisassociateFleetCommandInput } from "@aws-sdk/client-appstream";
import type { AppStreamApi } from "../aws/api.js";
import { collect } from "../aws/paginate.js";
import type { DesiredResource, LiveResource } from "./contract.js";
import { defineDerivedKind, type OpFn } from "./kind.js";
import { createOrRaced, deleteOrGone, param, referring } from "./op-helpers.js";
import { chain, LISTED, waitStep } from "./steps.js";

export const fleetAssociationAddress = (stack: string, fleet: string): string => `FleetAssociation/${stack}/${fleet}`;

function live(stack: string, fleet: string): LiveResource {
  return { kind: "FleetAssociation", name: `${stack}/${fleet}`, address: fleetAssociationAddress(stack, fleet), spec: { stack, fleet } };
}

/** Every page of ListAssociatedFleets of one stack: the kind's read and its waiter share this listing. */
async function fleetsOf(api: AppStreamApi, stack: string): Promise<string[]> {
  return collect(async (token) => {
    const out = await api.call("ListAssociatedFleets", { StackName: stack, ...(token ? { NextToken: token } : {}) });
    return { items: out.Names ?? [], next: out.NextToken };
  }, { label: "ListAssociatedFleets" });
}

export const fleetAssociation = defineDerivedKind({
  kind: "FleetAssociation",
  rank: 60,
  noun: "fleet association",
  fields: {},
  taggable: false,
  ownership: "owner",
  parents: (l) => [`Stack/${String(l.spec.stack)}`, `Fleet/${String(l.spec.fleet)}`],
  readPer: "Stack",
  ownerKind: "Stack",
  // A stack holds one fleet (reference §5): its old association is removed before the new one.
  exclusive: (spec) => String(spec.stack),
  // Associations are listed per stack: one ListAssociatedFleets per stack with a waiting association.
  waiter: {
    kind: "fleet-association",
    timeoutMs: 5 * 60_000,
    async read(api, names) {
      const stacks = [...new Set((names ?? []).map((n) => n.slice(0, n.indexOf("/"))))];
      const out: { name: string }[] = [];
      for (const stack of stacks) out.push(...(await fleetsOf(api, stack)).map((f) => ({ name: `${stack}/${f}` })));
      return out;
    },
    name: (a: { name: string }) => a.name,
    state: () => LISTED,
    problem: () => undefined,
  },
  ops: {
    "fleet-association.create": ((ctx, s) =>
      createOrRaced(
        () => ctx.call("AssociateFleet", s.params, referring(ctx, s.address)),
        async () => ((await ctx.call("ListAssociatedFleets", { StackName: param(s, "StackName") })).Names ?? []).includes(param(s, "FleetName")),
      )) satisfies OpFn<AssociateFleetCommandInput>,
    "fleet-association.delete": ((ctx, s) =>
      deleteOrGone(() => ctx.call("DisassociateFleet", s.params, { resource: s.address }))) satisfies OpFn<DisassociateFleetCommandInput>,
  },
  // The association is the stack's `fleet`: pruning a fleet must not empty a stack managed elsewhere.
  removalChangesOwner: true,
  async read(ctx, prior) {
    const stacks = prior.of("Stack");
    const perStack = await ctx.map(stacks, async (s) => (await fleetsOf(ctx.api, s.name)).map((f) => live(s.name, f)));
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
});
