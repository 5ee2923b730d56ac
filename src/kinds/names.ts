/**
 * The names of the kinds, their manifest keys and their waiters: AppStream vocabulary, so it lives in
 * kinds/, in a leaf that imports nothing (src/model re-exports it to every layer). The registry
 * (kinds/index.ts `KINDS`) must hold exactly one kind per name: the compiler checks both ways.
 */

/** The kinds a manifest lists, by their top-level key. */
export type ManifestKey = "directoryConfigs" | "appBlocks" | "images" | "imageBuilders" | "fleets" | "stacks" | "users" | "userGroups" | "appBlockBuilders" | "applications" | "usageReports";

/** Manifest keys that hold one object (or `none`) instead of a list: the kinds declared with `singleton`. */
export type SingletonKey = "usageReports";

/** All kind names, including those derived from fields of others (associations, permissions). */
export type KindName =
  | "DirectoryConfig"
  | "Image"
  | "ImagePermission"
  | "ImageBuilder"
  | "AppBlock"
  | "Fleet"
  | "Stack"
  | "FleetAssociation"
  | "User"
  | "UserAssociation"
  | "Entitlement"
  | "Theme"
  | "AppBlockBuilder"
  | "Application"
  | "ApplicationFleetAssociation"
  | "ImageExport"
  | "FleetSchedule"
  | "ImageBuilderSchedule"
  | "Scaling"
  | "UsageReportSubscription"
  | "ImageBuilderSoftware";

/**
 * The vocabulary of waits (`--wait-timeout fleet=60m`): a kind that can be waited on names its waiter,
 * and wait steps carry that name.
 */
export type WaitKind = "fleet" | "image-builder" | "image" | "user" | "fleet-association" | "app-block-builder" | "image-export" | "image-builder-software";
