/**
 * App block builder ↔ app block associations (reference §12.4): Associate, Disassociate and
 * DescribeAppBlockBuilderAppBlockAssociations. One builder is associated with at most one app block and one
 * app block with at most one builder (DG "Associate an App Block"); only APPSTREAM2 app blocks take part.
 * Records live in the `appBlockBuilderAssociations` collection keyed by builder name (app-blocks.ts).
 * Rules ABA-xx in SPEC.md.
 */
import type {
  AssociateAppBlockBuilderAppBlockRequest,
  DescribeAppBlockBuilderAppBlockAssociationsRequest,
  DisassociateAppBlockBuilderAppBlockRequest,
} from "@aws-sdk/client-appstream";
import { requireAppBlockBuilder } from "./app-block-builders.js";
import { builderAssociationsOf, findAppBlockByArn, type AppBlockRecord } from "./app-blocks.js";
import { op, type OpContext, type OpHandler } from "./context.js";
import { ApiError, badCombination, notFound, notPermitted } from "./errors.js";
import { stateOf } from "./images.js";
import { pageSizeOf, paginate } from "./paginate.js";

function requireAppBlock(ctx: OpContext, arn: unknown): AppBlockRecord {
  const block = findAppBlockByArn(ctx, arn);
  if (!block) throw notFound(`The app block ${String(arn)} does not exist.`);
  return block;
}

/** ABA-03: associations change only while the builder is STOPPED (a running builder is packaging its block). */
function requireStoppedBuilder(ctx: OpContext, name: unknown, action: string) {
  const builder = requireAppBlockBuilder(ctx, name);
  const state = stateOf(ctx, builder.lifecycle);
  if (state === "STARTING" || state === "STOPPING") {
    throw new ApiError("ConcurrentModificationException", `The app block builder ${builder.attrs.Name} is ${state}. Wait until it is STOPPED, then try again.`);
  }
  if (state !== "STOPPED") throw notPermitted(`The app block builder ${builder.attrs.Name} is ${state}; stop it before you ${action} an app block.`);
  return builder;
}

const associate = op<AssociateAppBlockBuilderAppBlockRequest>((ctx, input) => {
  const builder = requireStoppedBuilder(ctx, input.AppBlockBuilderName, "associate");
  const block = requireAppBlock(ctx, input.AppBlockArn);
  if (block.attrs.PackagingType !== "APPSTREAM2") {
    throw badCombination(`The app block ${block.attrs.Name} has the CUSTOM packaging type; only APPSTREAM2 app blocks can be associated with an app block builder.`);
  }
  const table = builderAssociationsOf(ctx);
  const pair = { AppBlockArn: block.attrs.Arn, AppBlockBuilderName: builder.attrs.Name };
  const current = table[builder.attrs.Name];
  if (current?.AppBlockArn === pair.AppBlockArn) return { AppBlockBuilderAppBlockAssociation: pair };
  if (current) throw notPermitted(`The app block builder ${builder.attrs.Name} is already associated with the app block ${current.AppBlockArn}.`);
  const other = Object.values(table).find((a) => a.AppBlockArn === pair.AppBlockArn);
  if (other) throw notPermitted(`The app block ${block.attrs.Name} is already associated with the app block builder ${other.AppBlockBuilderName}.`);
  table[builder.attrs.Name] = pair;
  return { AppBlockBuilderAppBlockAssociation: pair };
});

const disassociate = op<DisassociateAppBlockBuilderAppBlockRequest>((ctx, input) => {
  const builder = requireStoppedBuilder(ctx, input.AppBlockBuilderName, "disassociate");
  const table = builderAssociationsOf(ctx);
  const current = table[builder.attrs.Name];
  if (!current || current.AppBlockArn !== input.AppBlockArn) {
    throw notFound(`The app block builder ${builder.attrs.Name} is not associated with the app block ${String(input.AppBlockArn)}.`);
  }
  delete table[builder.attrs.Name];
  return {};
});

const describeAssociations = op<DescribeAppBlockBuilderAppBlockAssociationsRequest>((ctx, input) => {
  const list = Object.values(builderAssociationsOf(ctx))
    .filter((a) => input.AppBlockArn === undefined || a.AppBlockArn === input.AppBlockArn)
    .filter((a) => input.AppBlockBuilderName === undefined || a.AppBlockBuilderName === input.AppBlockBuilderName)
    .sort((a, b) => a.AppBlockBuilderName.localeCompare(b.AppBlockBuilderName));
  const scope = `DescribeAppBlockBuilderAppBlockAssociations|${input.AppBlockArn ?? ""}|${input.AppBlockBuilderName ?? ""}`;
  const page = paginate(list, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { AppBlockBuilderAppBlockAssociations: page.items.map((a) => ({ ...a })), NextToken: page.nextToken };
});

/** Association operations for the registry in ops.ts. */
export const appBlockBuilderAssociationOps: Record<string, OpHandler> = {
  AssociateAppBlockBuilderAppBlock: associate,
  DisassociateAppBlockBuilderAppBlock: disassociate,
  DescribeAppBlockBuilderAppBlockAssociations: describeAssociations,
};
