/**
 * The AWS side's clock, as the HTTP `Date` header of its answers tells it. What a run-state schedule says
 * for "now" is decided by the service's clock, not the laptop's: a laptop minutes off (or an emulator whose
 * clock a test moved) must not make a plan start or stop a fleet against its schedule. The header has
 * second resolution; between answers the local clock carries the last one forward.
 */

let last: { server: number; local: number } | undefined;

/** Records an answer's `Date` header (ignored when absent or unparsable). */
export function noteServerDate(header: string | undefined, localNow: number = Date.now()): void {
  if (!header) return;
  const t = Date.parse(header);
  if (!Number.isNaN(t)) last = { server: t, local: localNow };
}

/** The service's time now: the last `Date` seen plus the local time since; the local clock before any answer. */
export function serverNow(localNow: number = Date.now()): number {
  return last ? last.server + (localNow - last.local) : localNow;
}

/** Forgets what was seen (tests). */
export function resetServerClock(): void {
  last = undefined;
}
