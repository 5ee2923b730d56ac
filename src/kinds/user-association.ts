/**
 * UserAssociation (reference §8.2): a user's `stacks`. Read per stack with
 * DescribeUserStackAssociations; the executor sends creates and deletes in Batch*UserStack calls of up
 * to 25 and maps each per-item error back to its address.
 */
import { collect } from "../aws/paginate.js";
import type { DesiredResource, LiveResource } from "./contract.js";
import { defineDerivedKind } from "./kind.js";
import { BATCH_SIZE, runBatch } from "./user-association-batch.js";

export const userAssociationAddress = (stack: string, user: string): string => `UserAssociation/${stack}/${user}`;

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
  ops: {},
  batch: { ops: ["user-association.create", "user-association.delete"], size: BATCH_SIZE, run: runBatch },
  async read(ctx, prior) {
    const perStack = await ctx.map(prior.of("Stack"), async (s) => {
      const items = await collect(async (token) => {
        const out = await ctx.api.call("DescribeUserStackAssociations", { StackName: s.name, MaxResults: 500, ...(token ? { NextToken: token } : {}) });
        return { items: out.UserStackAssociations ?? [], next: out.NextToken };
      }, { label: "DescribeUserStackAssociations" });
      return items
        .filter((a) => a.AuthenticationType === "USERPOOL")
        .map((a): LiveResource => ({
          kind: "UserAssociation", name: `${a.StackName}/${a.UserName}`, address: userAssociationAddress(a.StackName ?? "", a.UserName ?? ""),
          spec: { stack: a.StackName, user: a.UserName },
        }));
    });
    return perStack.flat();
  },
  derive(m) {
    const out: DesiredResource[] = [];
    (m.users ?? []).forEach((u, i) => {
      const user = u.userName as string;
      ((u.stacks as string[] | undefined) ?? []).forEach((stack, j) => {
        out.push({
          kind: "UserAssociation", name: `${stack}/${user}`, address: userAssociationAddress(stack, user),
          spec: { stack, user, notify: u.messageAction !== "SUPPRESS" }, pointer: `/users/${i}/stacks/${j}`,
          dependsOn: [`Stack/${stack}`, `User/${user}`],
        });
      });
    });
    return out;
  },
  create: (d) => [{
    id: "create", op: "user-association.create",
    params: { ...params(d.spec.stack, d.spec.user), ...(d.spec.notify === false ? {} : { SendEmailNotification: true }) },
  }],
  update: () => ({ steps: [], disruption: "none", reason: "" }),
  remove: (l) => [{ id: "delete", op: "user-association.delete", params: params(l.spec.stack, l.spec.user) }],
});
