/**
 * The narrow AppStream client the engine talks to (aws-cdk toolkit style): exactly the operations
 * appstreamctl uses, typed with the SDK's own input and output types, and nothing else. The engine is
 * given an `AppStreamApi`; production builds it on the real SDK client (AWS or the emulator over HTTP),
 * unit tests on plain handler functions ({@link fakeApi}). Every call is counted per operation, split
 * into reads and mutations, for the reporter and for tests that assert on call counts. The one
 * operation of another service, the Resource Groups Tagging API's GetResources (tags of many resources
 * in one page), goes through the same table on its own client.
 */
import { setMaxListeners } from "node:events";
import {
  AssociateAppBlockBuilderAppBlockCommand,
  AssociateApplicationFleetCommand,
  AssociateApplicationToEntitlementCommand,
  AssociateFleetCommand,
  AssociateSoftwareToImageBuilderCommand,
  BatchAssociateUserStackCommand,
  BatchDisassociateUserStackCommand,
  CopyImageCommand,
  CreateAppBlockBuilderCommand,
  CreateAppBlockBuilderStreamingURLCommand,
  CreateAppBlockCommand,
  CreateApplicationCommand,
  CreateDirectoryConfigCommand,
  CreateEntitlementCommand,
  CreateExportImageTaskCommand,
  CreateFleetCommand,
  CreateImageBuilderCommand,
  CreateImageBuilderStreamingURLCommand,
  CreateImportedImageCommand,
  CreateStackCommand,
  CreateStreamingURLCommand,
  CreateThemeForStackCommand,
  CreateUpdatedImageCommand,
  CreateUsageReportSubscriptionCommand,
  CreateUserCommand,
  DeleteAppBlockBuilderCommand,
  DeleteAppBlockCommand,
  DeleteApplicationCommand,
  DeleteDirectoryConfigCommand,
  DeleteEntitlementCommand,
  DeleteFleetCommand,
  DeleteImageBuilderCommand,
  DeleteImageCommand,
  DeleteImagePermissionsCommand,
  DeleteStackCommand,
  DeleteThemeForStackCommand,
  DeleteUsageReportSubscriptionCommand,
  DeleteUserCommand,
  DescribeAppBlockBuilderAppBlockAssociationsCommand,
  DescribeAppBlockBuildersCommand,
  DescribeAppBlocksCommand,
  DescribeApplicationFleetAssociationsCommand,
  DescribeApplicationsCommand,
  DescribeDirectoryConfigsCommand,
  DescribeEntitlementsCommand,
  DescribeFleetsCommand,
  DescribeImageBuildersCommand,
  DescribeImagePermissionsCommand,
  DescribeImagesCommand,
  DescribeSessionsCommand,
  DescribeSoftwareAssociationsCommand,
  DescribeStacksCommand,
  DescribeThemeForStackCommand,
  DescribeUsageReportSubscriptionsCommand,
  DescribeUserStackAssociationsCommand,
  DescribeUsersCommand,
  DisableUserCommand,
  DisassociateAppBlockBuilderAppBlockCommand,
  DisassociateApplicationFleetCommand,
  DisassociateApplicationFromEntitlementCommand,
  DisassociateFleetCommand,
  DisassociateSoftwareFromImageBuilderCommand,
  EnableUserCommand,
  GetExportImageTaskCommand,
  ListAssociatedFleetsCommand,
  ListAssociatedStacksCommand,
  ListEntitledApplicationsCommand,
  ListExportImageTasksCommand,
  ListTagsForResourceCommand,
  StartAppBlockBuilderCommand,
  StartFleetCommand,
  StartImageBuilderCommand,
  StartSoftwareDeploymentToImageBuilderCommand,
  StopAppBlockBuilderCommand,
  StopFleetCommand,
  StopImageBuilderCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAppBlockBuilderCommand,
  UpdateApplicationCommand,
  UpdateDirectoryConfigCommand,
  UpdateEntitlementCommand,
  UpdateFleetCommand,
  UpdateImagePermissionsCommand,
  UpdateStackCommand,
  UpdateThemeForStackCommand,
  type AppStreamClient,
} from "@aws-sdk/client-appstream";
import {
  DeleteScalingPolicyCommand,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  DescribeScheduledActionsCommand,
  PutScalingPolicyCommand,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
} from "@aws-sdk/client-application-auto-scaling";
import { GetResourcesCommand } from "@aws-sdk/client-resource-groups-tagging-api";
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { AppError } from "../core/errors.js";
import { classify, markAttemptBudget } from "./errors.js";

/** Whether an operation only reads (safe during `plan`) or changes the estate. */
export type Access = "read" | "mutate";

/**
 * The services besides AppStream whose operations the table names, each sent on its own client: the
 * tagging index (tags of many resources per page), Application Auto Scaling (fleet capacity) and
 * EventBridge Scheduler (run-state schedules). Their operations are keyed `service:Operation` where the
 * name alone would collide with AppStream's (every service has a TagResource).
 */
export type OtherService = "tagging" | "autoscaling" | "scheduler";

/**
 * The operations in scope, their SDK command class, whether they mutate, and the service that answers
 * them when it is not AppStream.
 */
const OPERATIONS = {
  DescribeFleets: { command: DescribeFleetsCommand, access: "read" },
  CreateFleet: { command: CreateFleetCommand, access: "mutate" },
  UpdateFleet: { command: UpdateFleetCommand, access: "mutate" },
  DeleteFleet: { command: DeleteFleetCommand, access: "mutate" },
  StartFleet: { command: StartFleetCommand, access: "mutate" },
  StopFleet: { command: StopFleetCommand, access: "mutate" },
  DescribeStacks: { command: DescribeStacksCommand, access: "read" },
  CreateStack: { command: CreateStackCommand, access: "mutate" },
  UpdateStack: { command: UpdateStackCommand, access: "mutate" },
  DeleteStack: { command: DeleteStackCommand, access: "mutate" },
  DescribeImageBuilders: { command: DescribeImageBuildersCommand, access: "read" },
  CreateImageBuilder: { command: CreateImageBuilderCommand, access: "mutate" },
  DeleteImageBuilder: { command: DeleteImageBuilderCommand, access: "mutate" },
  StartImageBuilder: { command: StartImageBuilderCommand, access: "mutate" },
  StopImageBuilder: { command: StopImageBuilderCommand, access: "mutate" },
  DescribeImages: { command: DescribeImagesCommand, access: "read" },
  DeleteImage: { command: DeleteImageCommand, access: "mutate" },
  CopyImage: { command: CopyImageCommand, access: "mutate" },
  CreateUpdatedImage: { command: CreateUpdatedImageCommand, access: "mutate" },
  CreateImportedImage: { command: CreateImportedImageCommand, access: "mutate" },
  DescribeImagePermissions: { command: DescribeImagePermissionsCommand, access: "read" },
  UpdateImagePermissions: { command: UpdateImagePermissionsCommand, access: "mutate" },
  DeleteImagePermissions: { command: DeleteImagePermissionsCommand, access: "mutate" },
  DescribeUsers: { command: DescribeUsersCommand, access: "read" },
  CreateUser: { command: CreateUserCommand, access: "mutate" },
  DeleteUser: { command: DeleteUserCommand, access: "mutate" },
  EnableUser: { command: EnableUserCommand, access: "mutate" },
  DisableUser: { command: DisableUserCommand, access: "mutate" },
  BatchAssociateUserStack: { command: BatchAssociateUserStackCommand, access: "mutate" },
  BatchDisassociateUserStack: { command: BatchDisassociateUserStackCommand, access: "mutate" },
  DescribeUserStackAssociations: { command: DescribeUserStackAssociationsCommand, access: "read" },
  DescribeDirectoryConfigs: { command: DescribeDirectoryConfigsCommand, access: "read" },
  CreateDirectoryConfig: { command: CreateDirectoryConfigCommand, access: "mutate" },
  UpdateDirectoryConfig: { command: UpdateDirectoryConfigCommand, access: "mutate" },
  DeleteDirectoryConfig: { command: DeleteDirectoryConfigCommand, access: "mutate" },
  AssociateFleet: { command: AssociateFleetCommand, access: "mutate" },
  DisassociateFleet: { command: DisassociateFleetCommand, access: "mutate" },
  ListAssociatedFleets: { command: ListAssociatedFleetsCommand, access: "read" },
  ListAssociatedStacks: { command: ListAssociatedStacksCommand, access: "read" },
  TagResource: { command: TagResourceCommand, access: "mutate" },
  UntagResource: { command: UntagResourceCommand, access: "mutate" },
  ListTagsForResource: { command: ListTagsForResourceCommand, access: "read" },
  DescribeSessions: { command: DescribeSessionsCommand, access: "read" },
  CreateAppBlock: { command: CreateAppBlockCommand, access: "mutate" },
  DescribeAppBlocks: { command: DescribeAppBlocksCommand, access: "read" },
  DeleteAppBlock: { command: DeleteAppBlockCommand, access: "mutate" },
  CreateAppBlockBuilder: { command: CreateAppBlockBuilderCommand, access: "mutate" },
  UpdateAppBlockBuilder: { command: UpdateAppBlockBuilderCommand, access: "mutate" },
  DescribeAppBlockBuilders: { command: DescribeAppBlockBuildersCommand, access: "read" },
  DeleteAppBlockBuilder: { command: DeleteAppBlockBuilderCommand, access: "mutate" },
  StartAppBlockBuilder: { command: StartAppBlockBuilderCommand, access: "mutate" },
  StopAppBlockBuilder: { command: StopAppBlockBuilderCommand, access: "mutate" },
  AssociateAppBlockBuilderAppBlock: { command: AssociateAppBlockBuilderAppBlockCommand, access: "mutate" },
  DisassociateAppBlockBuilderAppBlock: { command: DisassociateAppBlockBuilderAppBlockCommand, access: "mutate" },
  DescribeAppBlockBuilderAppBlockAssociations: { command: DescribeAppBlockBuilderAppBlockAssociationsCommand, access: "read" },
  CreateAppBlockBuilderStreamingURL: { command: CreateAppBlockBuilderStreamingURLCommand, access: "mutate" },
  CreateApplication: { command: CreateApplicationCommand, access: "mutate" },
  UpdateApplication: { command: UpdateApplicationCommand, access: "mutate" },
  DescribeApplications: { command: DescribeApplicationsCommand, access: "read" },
  DeleteApplication: { command: DeleteApplicationCommand, access: "mutate" },
  AssociateApplicationFleet: { command: AssociateApplicationFleetCommand, access: "mutate" },
  DisassociateApplicationFleet: { command: DisassociateApplicationFleetCommand, access: "mutate" },
  DescribeApplicationFleetAssociations: { command: DescribeApplicationFleetAssociationsCommand, access: "read" },
  CreateEntitlement: { command: CreateEntitlementCommand, access: "mutate" },
  UpdateEntitlement: { command: UpdateEntitlementCommand, access: "mutate" },
  DescribeEntitlements: { command: DescribeEntitlementsCommand, access: "read" },
  DeleteEntitlement: { command: DeleteEntitlementCommand, access: "mutate" },
  AssociateApplicationToEntitlement: { command: AssociateApplicationToEntitlementCommand, access: "mutate" },
  DisassociateApplicationFromEntitlement: { command: DisassociateApplicationFromEntitlementCommand, access: "mutate" },
  ListEntitledApplications: { command: ListEntitledApplicationsCommand, access: "read" },
  CreateThemeForStack: { command: CreateThemeForStackCommand, access: "mutate" },
  UpdateThemeForStack: { command: UpdateThemeForStackCommand, access: "mutate" },
  DescribeThemeForStack: { command: DescribeThemeForStackCommand, access: "read" },
  DeleteThemeForStack: { command: DeleteThemeForStackCommand, access: "mutate" },
  CreateUsageReportSubscription: { command: CreateUsageReportSubscriptionCommand, access: "mutate" },
  DescribeUsageReportSubscriptions: { command: DescribeUsageReportSubscriptionsCommand, access: "read" },
  DeleteUsageReportSubscription: { command: DeleteUsageReportSubscriptionCommand, access: "mutate" },
  AssociateSoftwareToImageBuilder: { command: AssociateSoftwareToImageBuilderCommand, access: "mutate" },
  DisassociateSoftwareFromImageBuilder: { command: DisassociateSoftwareFromImageBuilderCommand, access: "mutate" },
  DescribeSoftwareAssociations: { command: DescribeSoftwareAssociationsCommand, access: "read" },
  StartSoftwareDeploymentToImageBuilder: { command: StartSoftwareDeploymentToImageBuilderCommand, access: "mutate" },
  CreateExportImageTask: { command: CreateExportImageTaskCommand, access: "mutate" },
  GetExportImageTask: { command: GetExportImageTaskCommand, access: "read" },
  ListExportImageTasks: { command: ListExportImageTasksCommand, access: "read" },
  CreateStreamingURL: { command: CreateStreamingURLCommand, access: "mutate" },
  CreateImageBuilderStreamingURL: { command: CreateImageBuilderStreamingURLCommand, access: "mutate" },
  GetResources: { command: GetResourcesCommand, access: "read", service: "tagging" },
  "autoscaling:RegisterScalableTarget": { command: RegisterScalableTargetCommand, access: "mutate", service: "autoscaling" },
  "autoscaling:DeregisterScalableTarget": { command: DeregisterScalableTargetCommand, access: "mutate", service: "autoscaling" },
  "autoscaling:DescribeScalableTargets": { command: DescribeScalableTargetsCommand, access: "read", service: "autoscaling" },
  "autoscaling:PutScalingPolicy": { command: PutScalingPolicyCommand, access: "mutate", service: "autoscaling" },
  "autoscaling:DeleteScalingPolicy": { command: DeleteScalingPolicyCommand, access: "mutate", service: "autoscaling" },
  "autoscaling:DescribeScalingPolicies": { command: DescribeScalingPoliciesCommand, access: "read", service: "autoscaling" },
  "autoscaling:PutScheduledAction": { command: PutScheduledActionCommand, access: "mutate", service: "autoscaling" },
  "autoscaling:DeleteScheduledAction": { command: DeleteScheduledActionCommand, access: "mutate", service: "autoscaling" },
  "autoscaling:DescribeScheduledActions": { command: DescribeScheduledActionsCommand, access: "read", service: "autoscaling" },
  "autoscaling:DescribeScalingActivities": { command: DescribeScalingActivitiesCommand, access: "read", service: "autoscaling" },
  "scheduler:CreateSchedule": { command: CreateScheduleCommand, access: "mutate", service: "scheduler" },
  "scheduler:UpdateSchedule": { command: UpdateScheduleCommand, access: "mutate", service: "scheduler" },
  "scheduler:GetSchedule": { command: GetScheduleCommand, access: "read", service: "scheduler" },
  "scheduler:DeleteSchedule": { command: DeleteScheduleCommand, access: "mutate", service: "scheduler" },
  "scheduler:ListSchedules": { command: ListSchedulesCommand, access: "read", service: "scheduler" },
  "scheduler:CreateScheduleGroup": { command: CreateScheduleGroupCommand, access: "mutate", service: "scheduler" },
  "scheduler:GetScheduleGroup": { command: GetScheduleGroupCommand, access: "read", service: "scheduler" },
  "scheduler:DeleteScheduleGroup": { command: DeleteScheduleGroupCommand, access: "mutate", service: "scheduler" },
  "scheduler:ListScheduleGroups": { command: ListScheduleGroupsCommand, access: "read", service: "scheduler" },
} as const satisfies Record<string, { command: unknown; access: Access; service?: OtherService }>;

/**
 * Request members whose values are secrets. The API model also marks AccountName, user names, first and
 * last names and application paths sensitive; those are identities shown in plans by design.
 */
const SECRET_MEMBERS: ReadonlySet<string> = new Set(["AccountPassword"]);

/** The secret values in a request (by member name, at any depth), for redacting what echoes it. */
export function secretsIn(input: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (SECRET_MEMBERS.has(k) && typeof item === "string" && item !== "") out.push(item);
        else walk(item);
      }
    }
  };
  walk(input);
  return out;
}

/** An AppStream operation appstreamctl may call, e.g. `"DescribeFleets"`. */
export type Operation = keyof typeof OPERATIONS;

type CommandOf<O extends Operation> = InstanceType<(typeof OPERATIONS)[O]["command"]>;

/** The SDK's input type of an operation (e.g. `DescribeFleetsCommandInput`). */
export type InputOf<O extends Operation> = CommandOf<O>["input"];

/** The SDK's output type of an operation, including `$metadata`. */
export type OutputOf<O extends Operation> = Awaited<ReturnType<ReturnType<CommandOf<O>["resolveMiddleware"]>>>["output"];

/** What the engine reads from a call: the output without the transport `$metadata`. */
export type ResultOf<O extends Operation> = Omit<OutputOf<O>, "$metadata">;

/** Every operation in scope, in table order. */
export const OPERATION_NAMES = Object.keys(OPERATIONS) as Operation[];

/** Whether `op` reads or mutates. */
export function accessOf(op: Operation): Access {
  return OPERATIONS[op].access;
}

/** The service that answers `op`, when it is not AppStream. */
export function serviceOf(op: Operation): OtherService | undefined {
  const entry = OPERATIONS[op];
  return "service" in entry ? entry.service : undefined;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the HTTP request (Ctrl-C). */
  signal?: AbortSignal;
}

/** A snapshot of the call counts. Failed calls count too: they reached the service. */
export interface CallCounts {
  reads: number;
  mutations: number;
  /** Calls that ended in an error, of either access. */
  errors: number;
  byOperation: Partial<Record<Operation, number>>;
}

/**
 * Counts calls as the engine made them. SDK-internal retries of one call are not counted separately
 * (they happen below `send`); the emulator's call log sees every HTTP attempt.
 */
export class CallCounter {
  private counts: CallCounts = { reads: 0, mutations: 0, errors: 0, byOperation: {} };

  /** Records one finished call. */
  record(op: Operation, ok: boolean): void {
    if (accessOf(op) === "read") this.counts.reads++;
    else this.counts.mutations++;
    if (!ok) this.counts.errors++;
    this.counts.byOperation[op] = (this.counts.byOperation[op] ?? 0) + 1;
  }

  /** A copy of the counts so far. */
  snapshot(): CallCounts {
    return { ...this.counts, byOperation: { ...this.counts.byOperation } };
  }

  /** Back to zero (e.g. between the read phase and the apply phase). */
  reset(): void {
    this.counts = { reads: 0, mutations: 0, errors: 0, byOperation: {} };
  }
}

/** The client interface of the engine. */
export interface AppStreamApi {
  /** Calls one operation. Errors are the SDK's (or the fake's) exceptions, unwrapped: classify them with errors.ts. */
  call<O extends Operation>(op: O, input: InputOf<O>, opts?: CallOptions): Promise<ResultOf<O>>;
  /** The counts of every call made through this api. */
  readonly counter: CallCounter;
}

type Dispatch = (op: Operation, input: unknown, opts: CallOptions) => Promise<unknown>;

function counted(dispatch: Dispatch, counter: CallCounter): AppStreamApi {
  return {
    counter,
    async call<O extends Operation>(op: O, input: InputOf<O>, opts: CallOptions = {}): Promise<ResultOf<O>> {
      try {
        const out = (await dispatch(op, input, opts)) as ResultOf<O>;
        counter.record(op, true);
        return out;
      } catch (err) {
        counter.record(op, false);
        throw err;
      }
    },
  };
}

type AnyCommand = Parameters<AppStreamClient["send"]>[0];

/** What the api needs of another service's SDK client: its `send`. */
export interface Sender {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** How {@link createApi} treats failures, and which clients send the other services' calls. */
export interface ApiOptions extends Partial<Record<OtherService, Sender>> {
  /** AWS_MAX_ATTEMPTS when the user set it: the most HTTP attempts one call may make, retries of ours included. */
  attemptBudget?: number;
}

/**
 * The error of a call cut short because another one got no answer at all: every attempt of that call
 * ran out of time, so the endpoint is not answering, and each further call would wait out the same
 * deadlines. Calls in flight are aborted and later ones not sent, so the time a command takes to fail is
 * one call's attempts, not one per call it makes.
 */
function unansweredError(unanswered: Error): Error {
  return Object.assign(new Error(`not sent: an earlier call got no answer (${unanswered.message})`), { name: "TimeoutError" });
}

/** The api over real SDK clients (AWS, or the emulator through `endpoint`): AppStream's, and the other services'. */
export function createApi(client: AppStreamClient, counter: CallCounter = new CallCounter(), opts: ApiOptions = {}): AppStreamApi {
  const endpointDown = new AbortController();
  // Every call in flight listens to it (AbortSignal.any below): many at once are expected, not a leak.
  setMaxListeners(0, endpointDown.signal);
  return counted(async (op, input, callOpts) => {
    if (endpointDown.signal.aborted) throw endpointDown.signal.reason;
    const signal = callOpts.signal ? AbortSignal.any([callOpts.signal, endpointDown.signal]) : endpointDown.signal;
    const send = (): Promise<unknown> => {
      const service = serviceOf(op);
      if (service) {
        const sender = opts[service];
        if (!sender) throw new AppError("internal", `no ${service} client for ${op}`, { source: "internal" });
        const Other = OPERATIONS[op].command as unknown as new (input: unknown) => never;
        return sender.send(new Other(input), { abortSignal: signal });
      }
      // The table pairs each name with its command class; one constructor signature covers them all.
      const Command = OPERATIONS[op].command as unknown as new (input: unknown) => AnyCommand;
      return client.send(new Command(input), { abortSignal: signal });
    };
    try {
      return (await send()) as never;
    } catch (err) {
      // Cut short by another call's timeout (not by Ctrl-C): report that, not the SDK's bare abort.
      if (endpointDown.signal.aborted && !callOpts.signal?.aborted && classify(err) === "aborted") throw endpointDown.signal.reason;
      if (opts.attemptBudget !== undefined) markAttemptBudget(err, opts.attemptBudget);
      if (classify(err) === "timeout" && err instanceof Error && !endpointDown.signal.aborted) endpointDown.abort(unansweredError(err));
      throw err;
    }
  }, counter);
}

/** Handlers of a fake api: any subset of the operations, sync or async, throwing SDK-like errors. */
export type FakeHandlers = {
  [O in Operation]?: (input: InputOf<O>) => ResultOf<O> | Promise<ResultOf<O>>;
};

/**
 * An api served by plain functions, for unit tests of the engine. Calling an operation without a
 * handler fails with an `internal` AppError naming it, so a test notices a call it did not expect.
 */
export function fakeApi(handlers: FakeHandlers, counter: CallCounter = new CallCounter()): AppStreamApi {
  return counted(async (op, input) => {
    const handler = handlers[op] as ((input: unknown) => unknown) | undefined;
    if (!handler) throw new AppError("internal", `fake AppStream api: unexpected call to ${op}`, { source: "internal" });
    return handler(input);
  }, counter);
}
