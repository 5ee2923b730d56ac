/**
 * The tags appstreamctl writes to say who owns a resource. A leaf module: kinds' rules reach the selector
 * code, which needs these, and the desired-state builder imports the kinds.
 */

/** The tag that marks a resource as owned by a manifest's set (DESIGN.md §3). */
export const OWNER_TAG = "appstreamctl:set";
/** Set on resources declared with `protect: true`, so that protection survives their removal from the manifest. */
export const PROTECT_TAG = "appstreamctl:protect";
