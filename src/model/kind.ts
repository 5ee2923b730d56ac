/**
 * Names every layer shares: update modes, field roles, and (re-exported from the kinds' own leaf,
 * kinds/names.ts) kind names, manifest keys and wait kinds. Imports nothing but that leaf.
 */
export type { KindName, ManifestKey, SingletonKey, WaitKind } from "../kinds/names.js";

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

