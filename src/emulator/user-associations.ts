/**
 * User ↔ stack associations (reference §8.2): BatchAssociateUserStack, BatchDisassociateUserStack,
 * DescribeUserStackAssociations. Batches take 1–25 items (model, checked by validate.ts); per-item
 * failures never raise, they come back in the lowercase `errors` member with STACK_NOT_FOUND,
 * USER_NAME_NOT_FOUND or, for a stack whose fleet is domain-joined, INTERNAL_ERROR (UA-05 in SPEC.md).
 * Records live in `userStackAssociations` and carry StackName, which DeleteStack relies on (STACK-09).
 * Rules UA-xx in SPEC.md.
 */
import type {
  BatchAssociateUserStackRequest,
  BatchDisassociateUserStackRequest,
  DescribeUserStackAssociationsRequest,
  UserStackAssociation,
} from "@aws-sdk/client-appstream";
import { fleetOfStack } from "./associations.js";
import { op, type OpContext, type OpHandler } from "./context.js";
import { badCombination } from "./errors.js";
import type { FleetRecord } from "./fleets.js";
import { pageSizeOf, paginate } from "./paginate.js";
import type { BaseRecord, Table } from "./store.js";
import { USER_STACK_ASSOCIATIONS, requireUserPool, type UserRecord } from "./users.js";

/** One association; the key is {@link keyOf}. */
export interface UserStackRecord extends BaseRecord {
  StackName: string;
  UserName: string;
  AuthenticationType: "USERPOOL";
  SendEmailNotification?: boolean;
}

type ErrorCode = "STACK_NOT_FOUND" | "USER_NAME_NOT_FOUND" | "DIRECTORY_NOT_FOUND" | "INTERNAL_ERROR";

/** The association table of the request's region. */
function associationsOf(ctx: OpContext): Table<UserStackRecord> {
  return ctx.store.table<UserStackRecord>(ctx.region, USER_STACK_ASSOCIATIONS);
}

/** Unambiguous even when names contain separators: user names are e-mail addresses with any punctuation. */
function keyOf(stackName: string, userName: string): string {
  return JSON.stringify([stackName, userName, "USERPOOL"]);
}

/** The per-item problem of one association, or undefined when it can be applied. */
function itemProblem(ctx: OpContext, item: UserStackAssociation, associating: boolean): { code: ErrorCode; message: string } | undefined {
  const stack = String(item.StackName);
  const user = String(item.UserName);
  if (!ctx.store.table<BaseRecord>(ctx.region, "stacks")[stack]) return { code: "STACK_NOT_FOUND", message: `The stack ${stack} does not exist.` };
  if (!ctx.store.table<UserRecord>(ctx.region, "users")[user]) return { code: "USER_NAME_NOT_FOUND", message: `The user ${user} does not exist.` };
  if (!associating) return undefined;
  // Reference §5 / §8.2 (S001:L288, S004:L567): user-pool users cannot use stacks whose fleet is joined
  // to an Active Directory domain. Guess (SPEC.md Guesses): a per-item INTERNAL_ERROR, not a whole-call error.
  const fleetName = fleetOfStack(ctx, stack);
  const fleet = fleetName === undefined ? undefined : ctx.store.table<FleetRecord>(ctx.region, "fleets")[fleetName];
  const directory = fleet?.attrs.DomainJoinInfo?.DirectoryName;
  if (directory !== undefined) {
    return {
      code: "INTERNAL_ERROR",
      message: `User pool users cannot be assigned to the stack ${stack}: its fleet ${String(fleetName)} is joined to the domain ${directory}.`,
    };
  }
  return undefined;
}

/** Shared body of the two batch operations: whole-call checks, then item by item. */
function batch(ctx: OpContext, items: UserStackAssociation[], associating: boolean): { errors: unknown[] } {
  // Reference §19 [rec]: a non-USERPOOL item makes the whole call an InvalidParameterCombination.
  for (const item of items) requireUserPool(item.AuthenticationType);
  const table = associationsOf(ctx);
  const errors: unknown[] = [];
  for (const item of items) {
    const problem = itemProblem(ctx, item, associating);
    if (problem) {
      errors.push({ UserStackAssociation: { ...item }, ErrorCode: problem.code, ErrorMessage: problem.message });
      continue;
    }
    const stack = String(item.StackName);
    const user = String(item.UserName);
    const key = keyOf(stack, user);
    // Both directions are idempotent: associating twice or disassociating what is not there succeeds (UA-03).
    if (!associating) delete table[key];
    else if (!table[key]) {
      table[key] = { StackName: stack, UserName: user, AuthenticationType: "USERPOOL", SendEmailNotification: item.SendEmailNotification, createdAt: ctx.now };
    }
  }
  return { errors };
}

const batchAssociate = op<BatchAssociateUserStackRequest>((ctx, input) => batch(ctx, input.UserStackAssociations ?? [], true));

const batchDisassociate = op<BatchDisassociateUserStackRequest>((ctx, input) => batch(ctx, input.UserStackAssociations ?? [], false));

const describeUserStackAssociations = op<DescribeUserStackAssociationsRequest>((ctx, input) => {
  const { StackName: stack, UserName: user, AuthenticationType: auth } = input;
  // Reference §8.2 (S001:L7387–L7394): StackName, or UserName with AuthenticationType, or both.
  if (stack === undefined && user === undefined) {
    throw badCombination("Specify StackName, or UserName and AuthenticationType, or all three.");
  }
  if ((user === undefined) !== (auth === undefined)) throw badCombination("UserName and AuthenticationType must be specified together.");
  if (auth !== undefined) requireUserPool(auth);
  const list = Object.values(associationsOf(ctx))
    .filter((a) => (stack === undefined || a.StackName === stack) && (user === undefined || a.UserName === user))
    // Code-unit order, not locale order: user names are case-sensitive and `A@x` must sort stably before `a@x`.
    .sort((a, b) => {
      const ka = keyOf(a.StackName, a.UserName);
      const kb = keyOf(b.StackName, b.UserName);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  const scope = `DescribeUserStackAssociations|${JSON.stringify([stack ?? null, user ?? null])}`;
  const page = paginate(list, scope, input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return {
    UserStackAssociations: page.items.map((a) => ({ StackName: a.StackName, UserName: a.UserName, AuthenticationType: a.AuthenticationType })),
    NextToken: page.nextToken,
  };
});

/** User/stack association operations for the registry in ops.ts. */
export const userAssociationOps: Record<string, OpHandler> = {
  BatchAssociateUserStack: batchAssociate,
  BatchDisassociateUserStack: batchDisassociate,
  DescribeUserStackAssociations: describeUserStackAssociations,
};
