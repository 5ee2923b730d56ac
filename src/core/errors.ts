/**
 * The one error type of appstreamctl and the diagnostics that validation collects.
 *
 * Codes are a closed union so that scripts and tests can rely on them; messages carry no colour
 * (rendering happens at the edge, in `src/cli`).
 */

/** Where a problem was found in the user's input. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Every stable code appstreamctl can report. Add new codes here; never rename one. */
export const CODES = [
  // manifest: reading and parsing
  "manifest.file-not-found",
  "manifest.file-unreadable",
  "manifest.file-skipped",
  "manifest.encoding",
  "manifest.yaml-syntax",
  "manifest.duplicate-key",
  "manifest.not-a-mapping",
  "manifest.yaml-tag",
  "manifest.alias-limit",
  "manifest.too-deep",
  "manifest.env-missing",
  "manifest.env-syntax",
  "manifest.env-secret-unset",
  "manifest.api-version",
  "manifest.metadata-conflict",
  // schema
  "schema.unknown-field",
  "schema.type",
  "schema.enum",
  "schema.required",
  "schema.pattern",
  "schema.range",
  "schema.length",
  "schema.items",
  "schema.one-of",
  "schema.invalid",
  // names and references
  "name.duplicate",
  "name.case-collision",
  "name.normalization-collision",
  "ref.unknown-fleet",
  "ref.unknown-stack",
  "ref.unknown-image",
  "ref.unknown-directory",
  // cross-field rules of the API (reference §3.3 and friends)
  "rule.image-source",
  "rule.capacity",
  "rule.elastic",
  "rule.multi-session",
  "rule.settings-group",
  "rule.domain-join",
  "rule.userpool-domain",
  "rule.instance-type",
  "rule.timeout",
  "rule.image-builder",
  "rule.app-block-builder",
  "rule.licensed-software",
  "rule.software-platform",
  "rule.usage-reports",
  "rule.image-source-form",
  "rule.image-selector",
  "rule.tags",
  "rule.clipboard-length",
  "rule.storage-connector",
  "rule.image-sharing",
  "rule.directory",
  "rule.app-block",
  "rule.agent-access",
  "rule.entitlement",
  "rule.theme",
  "rule.application",
  "rule.unknown-value",
  "schedule.window",
  "schedule.timezone",
  "schedule.role",
  "schedule.state-conflict",
  "schedule.name-length",
  "schedule.group-foreign",
  "rule.scaling",
  "rule.scaling-unsupported",
  "secret.literal",
  // CLI usage and environment
  "cli.usage",
  "cli.io",
  "cli.prompt",
  // AWS and engine
  "aws.error",
  "aws.credentials",
  "aws.region",
  "aws.endpoint",
  "aws.config",
  "plan.cycle",
  "plan.target",
  "plan.protected",
  "plan.format",
  "plan.unknown-op",
  "plan.foreign-owner",
  "plan.foreign-association",
  "plan.image-in-use",
  "plan.image-export",
  "plan.changed",
  "apply.failed",
  "apply.already-exists",
  "apply.interrupted",
  "apply.timeout",
  "connect.validity",
  "connect.not-found",
  "connect.not-ready",
  "connect.no-fleet",
  "connect.invalid",
  "lock.held",
  "lock.backend",
  "emulator.state-file",
  "internal",
] as const;

export type Code = (typeof CODES)[number];

/** `note`: worth knowing, needs no action now (e.g. a write-only secret only `apply` will need). */
export type Severity = "error" | "warning" | "note";

/** One problem found in the input. Validation collects these and never throws. */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  /** Position in the source file when known. */
  loc?: SourceLocation;
  /** JSON pointer into the merged manifest, e.g. `/fleets/0/instanceType`. */
  pointer?: string;
  /** A short suggestion, e.g. "did you mean `instanceType`?". */
  hint?: string;
}

export type ErrorSource = "user" | "aws" | "internal";

/** The single error class: a stable code, who is at fault, and optionally where. */
export class AppError extends Error {
  readonly code: Code;
  readonly source: ErrorSource;
  readonly loc?: SourceLocation;
  readonly diagnostics?: Diagnostic[];

  constructor(
    code: Code,
    message: string,
    opts: { source?: ErrorSource; loc?: SourceLocation; cause?: unknown; diagnostics?: Diagnostic[] } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.source = opts.source ?? "user";
    if (opts.loc) this.loc = opts.loc;
    if (opts.diagnostics) this.diagnostics = opts.diagnostics;
  }
}

/** Exhaustiveness guard for `switch` statements over unions. */
export function assertNever(value: never, what = "value"): never {
  throw new AppError("internal", `unexpected ${what}: ${JSON.stringify(value)}`, { source: "internal" });
}

/** True when any diagnostic is an error (warnings alone do not fail a command). */
export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}
