/**
 * Streaming odds and ends of reference §17: CreateStreamingURL (a URL for a user on a stack's RUNNING fleet)
 * and DrainSessionInstance (a multi-session instance stops taking new sessions; sessions.ts places new
 * sessions elsewhere and reports DRAINING). Rules URL-xx and DRAIN-xx in SPEC.md.
 */
import type { CreateStreamingURLRequest, DrainSessionInstanceRequest } from "@aws-sdk/client-appstream";
import { fleetOfStack } from "./associations.js";
import { op, type OpHandler } from "./context.js";
import { ApiError, badCombination, notFound, notPermitted } from "./errors.js";
import { fleetState, fleetsOf } from "./fleets.js";
import { streamingUrlAnswer } from "./out.js";
import { drainedInstances, isMultiSession, liveSessions } from "./sessions.js";
import { stacksOf } from "./stacks.js";

/** The model: "The default is 60 seconds." */
const DEFAULT_VALIDITY = 60;

const createStreamingURL = op<CreateStreamingURLRequest>((ctx, input) => {
  const stackName = String(input.StackName);
  const fleetName = String(input.FleetName);
  if (!stacksOf(ctx)[stackName]) throw notFound(`The stack ${stackName} does not exist.`);
  const fleet = fleetsOf(ctx)[fleetName];
  if (!fleet) throw notFound(`The fleet ${fleetName} does not exist.`);
  // Reference §17 [rec]: only a running fleet associated with the stack can stream.
  if (fleetOfStack(ctx, stackName) !== fleetName) throw notPermitted(`The fleet ${fleetName} is not associated with the stack ${stackName}.`);
  const state = fleetState(ctx, fleet);
  if (state !== "RUNNING") throw new ApiError("ResourceNotAvailableException", `The fleet ${fleetName} is ${state}; a streaming URL needs a RUNNING fleet.`);
  // The model: Desktop is a choice only "if your fleet is enabled for the Desktop stream view".
  if (input.ApplicationId === "Desktop" && fleet.attrs.StreamView !== "DESKTOP") {
    throw badCombination(`The fleet ${fleetName} streams applications (StreamView APP); ApplicationId Desktop needs StreamView DESKTOP.`);
  }
  const validity = input.Validity ?? DEFAULT_VALIDITY;
  return streamingUrlAnswer(ctx, { stack: stackName, fleet: fleetName, user: input.UserId, app: input.ApplicationId }, validity);
});

const drainSessionInstance = op<DrainSessionInstanceRequest>((ctx, input) => {
  const session = liveSessions(ctx).find((s) => s.Id === input.SessionId);
  if (!session) throw notFound(`The session ${String(input.SessionId)} does not exist.`);
  // The model: "This only applies to multi-session fleets."
  if (!isMultiSession(ctx, session.FleetName)) {
    throw notPermitted(`The fleet ${session.FleetName} is not a multi-session fleet; only multi-session instances can be drained.`);
  }
  const drained = drainedInstances(ctx);
  // An instance whose sessions have all ended is reclaimed: its drain record has nothing left to say.
  const busy = new Set(liveSessions(ctx).map((s) => s.InstanceId));
  for (const id of Object.keys(drained)) if (!busy.has(id)) delete drained[id];
  // Guess (DRAIN-03): draining an instance that is already draining succeeds and changes nothing.
  drained[session.InstanceId] ??= { FleetName: session.FleetName, createdAt: ctx.now };
  return {};
});

/** Streaming operations for the registry in ops.ts. */
export const streamingOps: Record<string, OpHandler> = {
  CreateStreamingURL: createStreamingURL,
  DrainSessionInstance: drainSessionInstance,
};
