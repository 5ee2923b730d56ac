/**
 * The commander program: every command of DESIGN.md §2 with its options and help. Commands stay thin:
 * each action loads its handler lazily (so `validate` never loads the emulator or the SDK) and returns
 * an exit code through `done`.
 */
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_READ_CONCURRENCY, OUTPUT_FORMATS, type CommandEnv, type GlobalOptions, type Handler, type Io } from "./io.js";
import { ownVersion } from "./version.js";

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function increase(_value: string, previous: number): number {
  return previous + 1;
}

/** Parses a positive (or zero, when allowed) integer option, as a usage error otherwise. */
export function intOption(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new InvalidArgumentError(`expected a whole number ≥ ${min}`);
    }
    return Number(value);
  };
}

function numberOption(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a number ≥ 0");
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a number > 0");
  return n;
}

/** Builds the program. `done` receives the exit code of whichever command ran. */
export function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command("appstreamctl")
    .description("Declarative plan/apply for Amazon AppStream 2.0 (WorkSpaces Applications)")
    .version(ownVersion(), "--version")
    .option("-f, --file <path>", "manifest file or directory of *.yaml (repeatable; default ./appstream.yaml)", collect)
    .option("--region <region>", "AWS Region (else manifest metadata.region, AWS_REGION, AWS_DEFAULT_REGION, profile)")
    .option("--profile <name>", "AWS shared-config profile")
    .option("--endpoint-url <url>", "AppStream endpoint (also AWS_ENDPOINT_URL_APPSTREAM, AWS_ENDPOINT_URL, the profile's endpoint_url)")
    .option("--force-region", "let --region override a different metadata.region", false)
    .option("--request-timeout <seconds>", "deadline of each HTTP attempt (also APPSTREAMCTL_REQUEST_TIMEOUT; default 30)", positiveNumber)
    .option("--local", "use the embedded emulator with state in ./.appstreamctl/local-state.json", false)
    .addOption(new Option("-o, --output <format>", "output format (dot and mermaid: plan, show and graph only)").choices([...OUTPUT_FORMATS]).default("text"))
    .addOption(new Option("--color <when>", "colour output").choices(["auto", "always", "never"]).default("auto"))
    .option("-v, --verbose", "more logging on stderr (repeat for more)", increase, 0)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  const action =
    <O>(load: () => Promise<Handler<O>>) =>
    async (...all: unknown[]): Promise<void> => {
      // commander passes (...positionals, options, command)
      const cmd = all[all.length - 1] as Command;
      const opts = cmd.opts() as O;
      const args = all.slice(0, -2).filter((a): a is string => typeof a === "string");
      const globals = normalizeGlobals(cmd.optsWithGlobals());
      const handler = await load();
      done(await handler({ io, globals }, opts, args));
    };

  program
    .command("init")
    .description("write a starter appstream.yaml with the yaml-language-server schema modeline")
    .option("--force", "overwrite an existing file", false)
    .action(action(async () => (await import("./commands/init.js")).initCommand));

  program
    .command("validate")
    .description("check the manifest offline: schema, references, cross-field rules (no AWS call)")
    .action(action(async () => (await import("./commands/validate.js")).validateCommand));

  program
    .command("plan")
    .description("read live state and print the ordered plan")
    .option("--out <file>", "save the plan (JSON, with live-state fingerprints) for a later apply")
    .option("--detailed-exitcode", "exit 0 when there are no changes, 2 when there are", false)
    .option("--target <address>", "limit the plan to an address such as Fleet/NAME (repeatable)", collect)
    .option("--prune", "also delete owned resources absent from the manifest", false)
    .option("--read-concurrency <n>", "parallel read calls", intOption(1), DEFAULT_READ_CONCURRENCY)
    .option("--rotate <address>", "send the write-only secret of e.g. DirectoryConfig/NAME again (repeatable)", collect)
    .option("--adopt <address>", "take over a declared resource that another set's appstreamctl:set tag owns, e.g. Fleet/NAME (repeatable)", collect)
    .action(action(async () => (await import("./commands/plan.js")).planCommand));

  program
    .command("apply")
    .description("plan, confirm and execute; or execute a saved plan after checking it is not stale")
    .argument("[planfile]", "a plan saved with plan --out")
    .option("--auto-approve", "do not ask for confirmation", false)
    .option("--allow-disruption", "allow steps that stop running fleets or replace resources without a prompt", false)
    .option("--parallelism <n>", "mutating API calls in flight at once", intOption(1), 4)
    .option("--prune", "also delete owned resources absent from the manifest", false)
    .option("--target <address>", "limit to an address (repeatable)", collect)
    .option("--wait-timeout <duration>", "longest wait for a state, e.g. 30m or fleet=60m,image=6h")
    .option("--rotate <address>", "send the write-only secret of e.g. DirectoryConfig/NAME again (repeatable)", collect)
    .option("--adopt <address>", "take over a declared resource that another set's appstreamctl:set tag owns, e.g. Fleet/NAME (repeatable)", collect)
    .option("--json", "progress as NDJSON events on stderr", false)
    .option("--lock-table <name>", "DynamoDB table of the apply lock (partition key LockID); overrides metadata.lock.dynamodbTable")
    .option("--lock-timeout <duration>", "how long to wait for another apply's lock, e.g. 10m (default 0s: fail at once)")
    .action(action(async () => (await import("./commands/apply.js")).applyCommand));

  program
    .command("show")
    .description("render a plan saved with plan --out (offline): -o text, json, yaml, markdown, dot or mermaid")
    .argument("<planfile>", "a plan saved with plan --out")
    .action(action(async () => (await import("./commands/show.js")).showCommand));

  program
    .command("graph")
    .description("the plan's dependency graph as Graphviz DOT or Mermaid, disruptive steps highlighted")
    .argument("[planfile]", "a plan saved with plan --out (default: plan now)")
    .addOption(new Option("--format <format>", "graph format (default: -o dot|mermaid, else dot)").choices(["dot", "mermaid"]))
    .option("--target <address>", "limit the plan to an address (repeatable)", collect)
    .option("--prune", "also delete owned resources absent from the manifest", false)
    .option("--read-concurrency <n>", "parallel read calls", intOption(1), DEFAULT_READ_CONCURRENCY)
    .action(action(async () => (await import("./commands/show.js")).graphCommand));

  program
    .command("force-unlock")
    .description("break the apply lock of a crashed run (names the holder first)")
    .argument("[lockid]", "the run id the lock must belong to (as printed by the failed apply)")
    .option("--yes", "do not ask for confirmation", false)
    .option("--lock-table <name>", "DynamoDB table of the apply lock; overrides metadata.lock.dynamodbTable")
    .action(action(async () => (await import("./commands/force-unlock.js")).forceUnlockCommand));

  program
    .command("drift")
    .description("report changed, missing and unmanaged resources; exit 2 when there is drift")
    .option("--summary-file <path>", "also append the markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)")
    .option("--write", "copy live values of drifted fields back into the manifest", false)
    .option("--read-concurrency <n>", "parallel read calls", intOption(1), DEFAULT_READ_CONCURRENCY)
    .action(action(async () => (await import("./commands/drift.js")).driftCommand));

  program
    .command("export")
    .description("write a manifest from live state that plans to zero changes")
    .option("--kinds <list>", "comma-separated kinds to export, e.g. Fleet,Stack")
    .option("--name <regex>", "only resources whose name matches")
    .option("--set <name>", "metadata.name of the exported manifest (default: the set the resources carry, else appstream-REGION)")
    .option("--adopt", "tag exported resources with appstreamctl:set=NAME (TagResource: the one change export makes)", false)
    .option("--read-concurrency <n>", "parallel read calls", intOption(1), DEFAULT_READ_CONCURRENCY)
    .action(action(async () => (await import("./commands/export.js")).exportCommand));

  program
    .command("connect")
    .description("print a streaming URL (a bearer link: stdout only) for an image builder, app block builder or stack, and when it expires")
    .argument("<address>", "ImageBuilder/NAME, AppBlockBuilder/NAME or Stack/NAME")
    .option("--validity <duration>", "how long the URL works: seconds, or 30m, 2h, 7d (1s–7d; default 1h)")
    .option("--user <id>", "Stack only: the user the URL signs in")
    .option("--fleet <name>", "Stack only: the fleet to stream from (default: the stack's associated fleet)")
    .option("--application <id>", "Stack only: the application to open (default: the stack's application catalog)")
    .action(action(async () => (await import("./commands/connect.js")).connectCommand));

  program
    .command("schema")
    .description("print the JSON Schema the manifest is validated with")
    .action(action(async () => (await import("./commands/schema.js")).schemaCommand));

  program
    .command("emulator")
    .description("serve the AppStream emulator over HTTP on 127.0.0.1, with the other services appstreamctl calls on the same port: Application Auto Scaling, EventBridge Scheduler, the Resource Groups Tagging API, DynamoDB and STS")
    .option("--port <n>", "port (0 = any free port)", intOption(0), 4566)
    .option("--state-file <file>", "load and persist state here")
    .option("--time-scale <x>", "multiply every state-transition duration (0 = immediate)", numberOption, 1)
    .option("--page-size <n>", "items per page of list calls", intOption(1))
    .option("--faults <spec>", "fault injection, e.g. 'seed=7,throttle=0.2,5xx=0.05,latency=30ms,rate=10'")
    .option("--quotas <spec>", "count quotas, e.g. 'fleets=300,stacks=300,users=20000' (keys of the emulator's Quotas)")
    .option("--account <id>", "account id in every ARN", "123456789012")
    .addOption(new Option("--not-found-status <code>", "HTTP status of ResourceNotFoundException").choices(["404", "400"]).default("404"))
    .action(action(async () => (await import("./commands/emulator.js")).emulatorCommand));

  program
    .command("completion")
    .description("print a shell completion script: bash, zsh or fish")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "fish"]))
    .action(async (shell: "bash" | "zsh" | "fish") => {
      const { completionScript } = await import("./completion.js");
      io.stdout.write(completionScript(program, shell));
      done(0);
    });

  program.addHelpText("after", HELP_AFTER);
  return program;
}

/** Examples and exit codes at the end of `--help` (DESIGN.md §2). */
const HELP_AFTER = `
Examples:
  $ appstreamctl validate                                   # offline: schema, references, API rules
  $ appstreamctl --local plan                               # try it on the embedded emulator
  $ appstreamctl plan --out plan.json && appstreamctl show -o markdown plan.json
  $ appstreamctl apply plan.json                            # the reviewed plan is the approval
  $ appstreamctl apply --auto-approve --allow-disruption    # CI: plan and apply in one go
  $ appstreamctl drift --summary-file "$GITHUB_STEP_SUMMARY"
  $ appstreamctl export --kinds Fleet,Stack > appstream.yaml
  $ appstreamctl connect ImageBuilder/golden --validity 2h  # streaming URL (stdout only)
  $ appstreamctl connect Stack/office --user alice@example.com -o json
  $ eval "$(appstreamctl completion bash)"

Exit codes:
  0    success (no changes, no drift)
  1    error, usage errors included (never 2); nothing is sent to AWS for bad input
  2    changes present (plan --detailed-exitcode) or drift present (drift)
  3    apply partly done (see the summary; a re-run converges)
  5    saved plan is stale: nothing was changed
  130  interrupted (Ctrl-C)
`;

function normalizeGlobals(raw: Record<string, unknown>): GlobalOptions {
  const g: GlobalOptions = {
    file: (raw.file as string[] | undefined) ?? [],
    local: raw.local === true,
    output: (raw.output as GlobalOptions["output"]) ?? "text",
    color: (raw.color as GlobalOptions["color"]) ?? "auto",
    verbose: (raw.verbose as number | undefined) ?? 0,
  };
  if (typeof raw.region === "string") g.region = raw.region;
  if (typeof raw.profile === "string") g.profile = raw.profile;
  if (typeof raw.endpointUrl === "string") g.endpointUrl = raw.endpointUrl;
  if (raw.forceRegion === true) g.forceRegion = true;
  if (typeof raw.requestTimeout === "number") g.requestTimeout = raw.requestTimeout;
  return g;
}
