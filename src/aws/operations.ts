/**
 * The table of AWS operations appstreamctl may call: each name with its SDK command class, whether it
 * only reads (safe during `plan`) or mutates, and the service that answers it when it is not AppStream.
 * The api (api.ts) sends them; the types derived here give every call its SDK input and output.
 */
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
  ListTagsForResourceCommand as SchedulerListTagsForResourceCommand,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
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
  "scheduler:ListTagsForResource": { command: SchedulerListTagsForResourceCommand, access: "read", service: "scheduler" },
} as const satisfies Record<string, { command: unknown; access: Access; service?: OtherService }>;

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

/** The SDK command class of `op`; one constructor signature covers every command of the table. */
export function commandOf(op: Operation): new (input: unknown) => never {
  return OPERATIONS[op].command as unknown as new (input: unknown) => never;
}
