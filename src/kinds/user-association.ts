/**
 * UserAssociation (reference §8.2): a user's `stacks`. Read per stack with
 * DescribeUserStackAssociations; the executor sends creates and deletes in Batch*UserStack calls of up
 * to 25 and maps each per-item error back to its address.
 */
import { collect } from "../aws/paginate.js";
import type { DesiredResource, LiveResource } from "./contract.js";
import { defineDerivedKind, type PlannedView } from "./kind.js";
import { BATCH_SIZE, runBatch } from "./user-association-batch.js";
import { MEMBERSHIPS_PAGE } from "./page-sizes.js";

/**
 * A user-pool user is refused on a stack whose fleet is domain-joined (reference §5, §8.2), so a user
 * association is judged by its stack's current fleet association and that fleet's domain join. Its create
 * goes after the steps of the same plan that can make it legal: the removal of the stack's old fleet
 * association, and an update that takes the domain join off the stack's fleet. (A new association or a new
 * fleet never does: a user-pool member of a stack on a domain-joined fleet is refused at validate.)
 */
function judgedCreates(
  planned: readonly PlannedView[],
  sinks: { create(address: string): readonly string[] | undefined; remove(address: string): readonly string[] | undefined },
): { address: string; after: readonly string[] | undefined }[] {
  const settling = new Map<string, string[]>();
  const add = (stack: unknown, steps: readonly string[] | undefined) => {
    if (steps?.length) settling.set(String(stack), [...(settling.get(String(stack)) ?? []), ...steps]);
  };
  const unjoining = new Map<string, readonly string[]>();
  // Every planned resource (41,000 on a large estate), looped by index: see core/plan-work.ts.
  for (let i = 0; i < planned.length; i++) {
    const w = planned[i]!;
    if (w.change.kind !== "Fleet" || !w.live) continue;
    const steps = sinks.create(w.change.address);
    if (steps && w.change.diff.some((d) => d.path.startsWith("domainJoinInfo"))) unjoining.set(w.change.name, steps);
  }
  for (let i = 0; i < planned.length; i++) {
    const w = planned[i]!;
    if (w.change.kind !== "FleetAssociation") continue;
    if (w.live) add(w.live.spec.stack, sinks.remove(w.change.address));
    if (w.desired) add(w.desired.spec.stack, unjoining.get(String(w.desired.spec.fleet)));
  }
  if (!settling.size) return [];
  return planned
    .filter((w) => w.change.kind === "UserAssociation" && w.desired)
    .map((w) => ({ address: w.change.address, after: settling.get(String(w.desired!.spec.stack)) }));
}

/**
 * A membership's address, one flat string, and its name, a slice of it: templates make a chain of pieces
 * for each, flattened again when the address is looked up (120,000 memberships on each side at 4× the
 * large estate).
 */
const membershipAddress = (stack: string, user: string): string => ["UserAssociation", stack, user].join("/");
const nameIn = (address: string): string => address.slice("UserAssociation/".length);

function params(stack: unknown, user: unknown): Record<string, unknown> {
  return { StackName: stack, UserName: user, AuthenticationType: "USERPOOL" };
}

export const userAssociation = defineDerivedKind({
  kind: "UserAssociation",
  rank: 80,
  noun: "user association",
  fields: {},
  taggable: false,
  // A declared user's stacks are exact; with an exclusive pool the manifest also speaks for every
  // membership of the stacks it declares (nobody else manages users there).
  ownership: "owner",
  pooled: true,
  parents: (l) => [`User/${String(l.spec.user)}`, `Stack/${String(l.spec.stack)}`],
  readPer: "Stack",
  ownerKind: "User",
  readsDroppedParents: true,
  ops: {},
  orderCreates: judgedCreates,
  batch: { ops: ["user-association.create", "user-association.delete"], size: BATCH_SIZE, run: runBatch },
  async read(ctx, prior) {
    const perStack = await ctx.map(prior.of("Stack"), async (s) => {
      const items = await collect(async (token) => {
        const out = await ctx.api.call("DescribeUserStackAssociations", { StackName: s.name, MaxResults: MEMBERSHIPS_PAGE, ...(token ? { NextToken: token } : {}) });
        return { items: out.UserStackAssociations ?? [], next: out.NextToken };
      }, { label: "DescribeUserStackAssociations" });
      return items
        .filter((a) => a.AuthenticationType === "USERPOOL")
        .map((a): LiveResource => {
          const address = membershipAddress(a.StackName ?? "", a.UserName ?? "");
          return { kind: "UserAssociation", name: nameIn(address), address, spec: { stack: a.StackName, user: a.UserName } };
        });
    });
    return perStack.flat();
  },
  derive(m) {
    const out: DesiredResource[] = [];
    // 30,000 memberships on a large estate: each stack's and user's address is made once and shared.
    const stackAddress = new Map<string, string>();
    const users = m.users ?? [];
    for (let i = 0; i < users.length; i++) {
      const u = users[i]!;
      const user = u.userName as string;
      const stacks = (u.stacks as string[] | undefined) ?? [];
      const userAddress = `User/${user}`;
      // The field the memberships derive from: one pointer for all of a user's, not one string each.
      const pointer = `/users/${i}/stacks`;
      const notify = u.messageAction !== "SUPPRESS";
      for (let j = 0; j < stacks.length; j++) {
        const stack = stacks[j]!;
        let ofStack = stackAddress.get(stack);
        if (ofStack === undefined) stackAddress.set(stack, (ofStack = `Stack/${stack}`));
        const address = membershipAddress(stack, user);
        out.push({
          kind: "UserAssociation", name: nameIn(address), address,
          spec: { stack, user, notify }, pointer, dependsOn: [ofStack, userAddress],
        });
      }
    }
    return out;
  },
  create: (d) => [{
    id: "create", op: "user-association.create",
    params: { ...params(d.spec.stack, d.spec.user), ...(d.spec.notify === false ? {} : { SendEmailNotification: true }) },
  }],
  update: () => ({ steps: [], disruption: "none", reason: "" }),
  remove: (l) => [{ id: "delete", op: "user-association.delete", params: params(l.spec.stack, l.spec.user) }],
});
