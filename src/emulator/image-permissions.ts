/**
 * Image sharing (reference §7.3, §7.4): DescribeImagePermissions, UpdateImagePermissions,
 * DeleteImagePermissions. Only PRIVATE images this account owns can be shared, with at most
 * `quotas.imageShareAccounts` accounts (reference §16: 100). Grants live in the `imagePermissions`
 * collection (image name → account → permissions). Note the camelCase members of the wire format
 * (`sharedAccountId`, `imagePermissions{allowFleet, allowImageBuilder}`). Rules IPERM-xx in SPEC.md.
 */
import type {
  DeleteImagePermissionsRequest,
  DescribeImagePermissionsRequest,
  UpdateImagePermissionsRequest,
} from "@aws-sdk/client-appstream";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError, limitExceeded, notFound } from "./errors.js";
import { grantsIn, isOwn, requireImage, stateOf, type OwnImageRecord } from "./images.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { dict } from "./store.js";

/** The image `name` if this account owns it; a public or shared image is "not found" for sharing (IPERM-02). */
function requireOwnImage(ctx: OpContext, name: string): OwnImageRecord {
  const rec = requireImage(ctx, name);
  if (!isOwn(rec)) throw notFound(`The image ${name} is not a private image owned by account ${ctx.account}.`);
  return rec;
}

const describeImagePermissions = op<DescribeImagePermissionsRequest>((ctx, input) => {
  const name = String(input.Name);
  requireOwnImage(ctx, name);
  const grants = grantsIn(ctx)[name] ?? {};
  const wanted = input.SharedAwsAccountIds;
  const accounts = Object.keys(grants)
    .filter((a) => !wanted || wanted.includes(a))
    .sort();
  const scope = `DescribeImagePermissions|${name}|${(wanted ?? []).join(",")}`;
  const page = paginate(accounts, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return {
    Name: name,
    SharedImagePermissionsList: page.items.map((a) => ({ sharedAccountId: a, imagePermissions: { ...grants[a] } })),
    NextToken: page.nextToken,
  };
});

const updateImagePermissions = op<UpdateImagePermissionsRequest>((ctx, input) => {
  const name = String(input.Name);
  const rec = requireOwnImage(ctx, name);
  const state = stateOf(ctx, rec.lifecycle);
  // Reference §14.1: ResourceNotAvailable is the modeled error for an image not in a sharable state.
  if (state !== "AVAILABLE") throw new ApiError("ResourceNotAvailableException", `The image ${name} is ${state}; only AVAILABLE images can be shared.`);
  const account = String(input.SharedAccountId);
  const table = grantsIn(ctx);
  const grants = table[name] ?? dict();
  if (!grants[account] && Object.keys(grants).length >= ctx.config.quotas.imageShareAccounts) {
    throw limitExceeded(
      `The requested limit exceeds the permitted limit for an account: an image can be shared with ${ctx.config.quotas.imageShareAccounts} accounts.`,
    );
  }
  const p = input.ImagePermissions ?? {};
  // Omitted flags read as false: a grant is always stored with both flags explicit.
  grants[account] = { allowFleet: p.allowFleet === true, allowImageBuilder: p.allowImageBuilder === true };
  table[name] = grants;
  return {};
});

const deleteImagePermissions = op<DeleteImagePermissionsRequest>((ctx, input) => {
  const name = String(input.Name);
  requireOwnImage(ctx, name);
  const account = String(input.SharedAccountId);
  const table = grantsIn(ctx);
  const grants = table[name];
  if (!grants?.[account]) throw notFound(`The image ${name} is not shared with account ${account}.`);
  delete grants[account];
  if (Object.keys(grants).length === 0) delete table[name];
  return {};
});

/** Image permission operations for the registry in ops.ts. */
export const imagePermissionOps: Record<string, OpHandler> = {
  DescribeImagePermissions: describeImagePermissions,
  UpdateImagePermissions: updateImagePermissions,
  DeleteImagePermissions: deleteImagePermissions,
};
