/**
 * ImagePermission (reference §7.4): an image's `sharedWith` entry, keyed `IMAGE/ACCOUNT`. Revoking fleet
 * permission sets the other account's fleets on this image to zero capacity, so the plan says so.
 */
import { collect } from "../aws/paginate.js";
import type { DesiredResource, FieldTable, LiveResource } from "./contract.js";
import { imagePermissionOps } from "./image-ops.js";
import { defineDerivedKind } from "./kind.js";
import { bool } from "./schema-dsl.js";
import { MEMBERSHIPS_PAGE } from "./page-sizes.js";

interface PermissionSpec {
  allowFleet?: boolean;
  allowImageBuilder?: boolean;
}

const fields: FieldTable<PermissionSpec> = {
  allowFleet: { role: "api", mode: "live", awsDefault: true, schema: bool() },
  allowImageBuilder: { role: "api", mode: "live", awsDefault: false, schema: bool() },
};

export const imagePermissionAddress = (image: string, account: string): string => `ImagePermission/${image}/${account}`;

function put(d: DesiredResource) {
  return {
    op: "image-permission.put",
    params: {
      Name: d.spec.image, SharedAccountId: d.spec.accountId,
      ImagePermissions: { allowFleet: d.spec.allowFleet ?? true, allowImageBuilder: d.spec.allowImageBuilder ?? false },
    },
  };
}

const REVOKE_WARNING = (account: unknown) =>
  `account ${String(account)} loses fleet permission: its fleets using this image drop to 0 capacity`;

export const imagePermission = defineDerivedKind({
  kind: "ImagePermission",
  rank: 25,
  noun: "image permission",
  fields,
  taggable: false,
  ownership: "owner",
  parents: (l) => [`Image/${String(l.spec.image)}`],
  readPer: "Image",
  ownerKind: "Image",
  ops: imagePermissionOps,
  async read(ctx, prior) {
    // DescribeImages says whether an image is shared at all: only those have permissions to list. An
    // image whose listing did not say (an older API) is read, to be safe.
    const shared = prior.of("Image").filter((img) => img.facts?.sharedWithOthers !== false);
    const perImage = await ctx.map(shared, async (img) => {
      const shares = await collect(async (token) => {
        const out = await ctx.api.call("DescribeImagePermissions", { Name: img.name, MaxResults: MEMBERSHIPS_PAGE, ...(token ? { NextToken: token } : {}) });
        return { items: out.SharedImagePermissionsList ?? [], next: out.NextToken };
      }, { label: "DescribeImagePermissions" });
      return shares.map((s): LiveResource => ({
        kind: "ImagePermission", name: `${img.name}/${s.sharedAccountId}`, address: imagePermissionAddress(img.name, s.sharedAccountId ?? ""),
        spec: { image: img.name, accountId: s.sharedAccountId, allowFleet: s.imagePermissions?.allowFleet, allowImageBuilder: s.imagePermissions?.allowImageBuilder },
      }));
    });
    return perImage.flat();
  },
  derive(m) {
    const out: DesiredResource[] = [];
    (m.images ?? []).forEach((img, i) => {
      const image = img.name as string;
      ((img.sharedWith as { accountId: string; allowFleet?: boolean; allowImageBuilder?: boolean }[] | undefined) ?? []).forEach((s, j) => {
        out.push({
          kind: "ImagePermission", name: `${image}/${s.accountId}`, address: imagePermissionAddress(image, s.accountId),
          spec: { image, accountId: s.accountId, allowFleet: s.allowFleet, allowImageBuilder: s.allowImageBuilder },
          pointer: `/images/${i}/sharedWith/${j}`, dependsOn: [`Image/${image}`],
        });
      });
    });
    return out;
  },
  create: (d) => [{ id: "put", ...put(d) }],
  update(d, l) {
    const revoking = l.spec.allowFleet !== false && d.spec.allowFleet === false;
    return { steps: [{ id: "put", ...put(d) }], disruption: "none", reason: "", ...(revoking ? { warnings: [REVOKE_WARNING(d.spec.accountId)] } : {}) };
  },
  remove: (l) => [{ id: "delete", op: "image-permission.delete", params: { Name: l.spec.image, SharedAccountId: l.spec.accountId } }],
  removeWarning: (l) => (l.spec.allowFleet !== false ? REVOKE_WARNING(l.spec.accountId) : undefined),
});
