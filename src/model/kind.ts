/** Names every layer shares: kinds, manifest keys, update modes, wait kinds. A leaf: imports nothing. */

/**
 * How a change to a field reaches AWS:
 * - `live`: an update call while the resource keeps serving;
 * - `requires-stop`: only while the resource is stopped (a running fleet is stopped, updated, restarted);
 * - `replace`: immutable, the resource is deleted and created again;
 * - `write-only`: sent but never read back (secrets), so it cannot be diffed.
 */
export type UpdateMode = "live" | "requires-stop" | "replace" | "write-only";

/**
 * What a field is for, beyond the API: `api` fields go into Create/Update calls; `state` drives
 * Start/Stop; `tags` go through Tag/UntagResource; `association` fields become their own kind
 * (FleetAssociation, UserAssociation, ImagePermission); `selector` is resolved at plan time;
 * `meta` fields never leave appstreamctl.
 */
export type FieldRole = "identity" | "api" | "state" | "tags" | "association" | "selector" | "meta";

/** The kinds a manifest lists, by their top-level key. */
export type ManifestKey = "directoryConfigs" | "images" | "imageBuilders" | "fleets" | "stacks" | "users" | "userGroups";

/** All kind names, including those derived from fields of others (associations, permissions). */
export type KindName =
  | "DirectoryConfig"
  | "Image"
  | "ImagePermission"
  | "ImageBuilder"
  | "Fleet"
  | "Stack"
  | "FleetAssociation"
  | "User"
  | "UserAssociation";

/**
 * The vocabulary of waits (`--wait-timeout fleet=60m`): a kind that can be waited on names its waiter,
 * and wait steps carry that name.
 */
export type WaitKind = "fleet" | "image-builder" | "image" | "user" | "fleet-association";
