/**
 * The user pool (reference §8.1): CreateUser, DescribeUsers, DeleteUser, EnableUser, DisableUser.
 * Users are keyed by the exact UserName string — user names are e-mail addresses and case-sensitive
 * (S001:L3812), so `Alice@x` and `alice@x` are two users. Only AuthenticationType USERPOOL exists here;
 * anything else is InvalidParameterCombination. DescribeUsers has no name filter (S004:L15). Quota:
 * `quotas.users` (reference §16: 50). Rules USER-xx in SPEC.md.
 */
import type {
  CreateUserRequest,
  DeleteUserRequest,
  DescribeUsersRequest,
  DisableUserRequest,
  EnableUserRequest,
} from "@aws-sdk/client-appstream";
import { op, visibleAtFor, type OpContext, type OpHandler } from "./context.js";
import { alreadyExists, badCombination, limitExceeded, notFound, notPermitted } from "./errors.js";
import { epoch } from "./out.js";
import { pageSizeOf, paginate } from "./paginate.js";
import { isVisible, type BaseRecord, type Table } from "./store.js";

/** A stored user-pool user. */
export interface UserRecord extends BaseRecord {
  UserName: string;
  Arn: string;
  FirstName?: string;
  LastName?: string;
  Enabled: boolean;
  Status: string;
}

/** The users of the request's region, keyed by exact user name. */
export function usersOf(ctx: OpContext): Table<UserRecord> {
  return ctx.store.table<UserRecord>(ctx.region, "users");
}

/** The collection of user ↔ stack associations (user-associations.ts); records carry UserName and StackName. */
export const USER_STACK_ASSOCIATIONS = "userStackAssociations";

/** Removes every stack association of a deleted user (USER-07). */
function removeUserAssociations(ctx: OpContext, userName: string): void {
  const table = ctx.store.table<{ UserName?: string }>(ctx.region, USER_STACK_ASSOCIATIONS);
  for (const [key, a] of Object.entries(table)) if (a.UserName === userName) delete table[key];
}

/** Every user operation names AuthenticationType, which must be USERPOOL (S004: "You must specify USERPOOL"). */
export function requireUserPool(authenticationType: unknown): void {
  if (authenticationType !== "USERPOOL") {
    throw badCombination(`The authentication type ${String(authenticationType)} is not supported for this operation; specify USERPOOL.`);
  }
}

/**
 * The user a Delete/Enable/DisableUser names. Those operations model only ResourceNotFound (EnableUser also
 * InvalidAccountStatus), so a user of another authentication type is simply not found: this pool has none.
 */
function requireUser(ctx: OpContext, input: { UserName?: string; AuthenticationType?: string }): UserRecord {
  const rec = input.AuthenticationType === "USERPOOL" ? usersOf(ctx)[String(input.UserName)] : undefined;
  if (!rec) throw notFound(`The user ${String(input.UserName)} (${String(input.AuthenticationType)}) does not exist.`);
  return rec;
}

/** The API `User` shape. */
function view(rec: UserRecord): Record<string, unknown> {
  return {
    Arn: rec.Arn,
    UserName: rec.UserName,
    Enabled: rec.Enabled,
    Status: rec.Status,
    FirstName: rec.FirstName,
    LastName: rec.LastName,
    CreatedTime: epoch(rec.createdAt),
    AuthenticationType: "USERPOOL",
  };
}

const createUser = op<CreateUserRequest>((ctx, input) => {
  requireUserPool(input.AuthenticationType);
  const name = String(input.UserName);
  const users = usersOf(ctx);
  if (input.MessageAction === "RESEND") {
    // RESEND re-sends the welcome e-mail of an existing user; names must not be passed (S004:L159–L163).
    if (input.FirstName !== undefined || input.LastName !== undefined) {
      throw badCombination("FirstName and LastName cannot be specified when MessageAction is RESEND.");
    }
    // CreateUser models no ResourceNotFound; resending to nobody is an operation it does not permit.
    if (!users[name]) throw notPermitted(`The user ${name} does not exist, so there is no welcome e-mail to resend.`);
    return {};
  }
  if (users[name]) throw alreadyExists(`The user ${name} already exists.`);
  if (Object.keys(users).length >= ctx.config.quotas.users) {
    throw limitExceeded(`The requested limit exceeds the permitted limit for an account: users in the user pool (${ctx.config.quotas.users}).`);
  }
  users[name] = {
    UserName: name,
    // Reference §2: the user ARN format is unverified; this one follows the other AppStream ARNs.
    Arn: `arn:aws:appstream:${ctx.region}:${ctx.account}:user/userpool/${name}`,
    FirstName: input.FirstName,
    LastName: input.LastName,
    Enabled: true,
    // "The user is created but not confirmed" (S004:L96–L106).
    Status: "UNCONFIRMED",
    createdAt: ctx.now,
    visibleAt: visibleAtFor(ctx),
  };
  return {};
});

const describeUsers = op<DescribeUsersRequest>((ctx, input) => {
  requireUserPool(input.AuthenticationType);
  const list = Object.values(usersOf(ctx))
    .filter((u) => isVisible(u, ctx.now))
    .sort((a, b) => a.createdAt - b.createdAt || (a.UserName < b.UserName ? -1 : a.UserName > b.UserName ? 1 : 0));
  const page = paginate(list, "DescribeUsers|USERPOOL", input.NextToken, pageSizeOf(input.MaxResults, ctx.config.pageSize));
  return { Users: page.items.map(view), NextToken: page.nextToken };
});

const deleteUser = op<DeleteUserRequest>((ctx, input) => {
  const rec = requireUser(ctx, input);
  delete usersOf(ctx)[rec.UserName];
  // Guess (SPEC.md Guesses): the user's stack associations go with it.
  removeUserAssociations(ctx, rec.UserName);
  return {};
});

const enableUser = op<EnableUserRequest>((ctx, input) => {
  requireUser(ctx, input).Enabled = true;
  return {};
});

const disableUser = op<DisableUserRequest>((ctx, input) => {
  requireUser(ctx, input).Enabled = false;
  return {};
});

/** User operations for the registry in ops.ts. */
export const userOps: Record<string, OpHandler> = {
  CreateUser: createUser,
  DescribeUsers: describeUsers,
  DeleteUser: deleteUser,
  EnableUser: enableUser,
  DisableUser: disableUser,
};
