/** The stored fleet and its effective state: what other areas (sessions, associations) read of a fleet. */
import type { OpContext } from "./context.js";
import type { FleetAttrs } from "./fleet-rules.js";
import type { BaseRecord } from "./store.js";
import { effective, type Lifecycle } from "./transitions.js";

/** A stored fleet. */
export interface FleetRecord extends BaseRecord {
  attrs: FleetAttrs;
  lifecycle: Lifecycle;
}

/** The four fleet states (reference §3.5). */
export type FleetState = "STARTING" | "RUNNING" | "STOPPING" | "STOPPED";

/** The effective state of a fleet now (its lifecycle only ever holds {@link FleetState}s). */
export function fleetState(ctx: Pick<OpContext, "now">, rec: FleetRecord): FleetState {
  return effective(rec.lifecycle, ctx.now).state as FleetState;
}
