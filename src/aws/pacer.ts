/**
 * Client-side pacing of every call one client makes, learnt from throttling answers (AppStream publishes
 * no request rates, reference §16). It takes the place of the rate limiter of the SDK's adaptive retry
 * mode, which starts from a measured send rate of zero: a throttle in the first half-second — which is
 * when a plan's parallel reads meet the limit — drops it to 0.5 requests/second and the cubic recovery
 * takes seconds, long enough to slow a whole plan (docs/BENCHMARKS.md has the measurements).
 *
 * The pacer sends freely until the first throttle. Then it sends at the rate the service was seen to
 * answer over the last second, a little under it, spacing calls evenly; a later throttle sets the rate
 * from the answers again (at most once a second, so the calls already in flight do not compound it), and
 * three seconds without one raise the rate by a small step while the calls actually use it.
 *
 * Throttles that are not a rate limit's — random ones (the chaos suite's 20 %), or another client of the
 * account — look like a limit at the answered share of the rate, and following them would lower the rate
 * every second until the calls starve. Two guards: throttles among a few calls a second are left to the
 * retries, and a lowering after which the service answers less (a limit answers as much) is undone.
 */
import type { RateLimiter } from "@smithy/core/retry";
import { classify } from "./errors.js";
import { systemClock, type Clock } from "./retry.js";

/** How the pacer learns. Defaults in {@link PACER_DEFAULTS}. */
export interface PacerTuning {
  /** The window over which answers are counted, in ms. */
  windowMs: number;
  /** The share of the answered rate to send at after a throttle. */
  backoff: number;
  /**
   * The same after the first throttle, whose count of answers also holds the burst the service allows
   * before limiting, so it overstates the rate.
   */
  firstBackoff: number;
  /** The relative step up after `raiseAfterMs` without a throttle. */
  step: number;
  /** How long the rate holds before each step up, in ms. */
  raiseAfterMs: number;
  /** Never slower than this, in requests/second. */
  minRate: number;
  /** Throttles count only when at least this many calls were sent, and answered, in the window. */
  minCalls: number;
}

export const PACER_DEFAULTS: PacerTuning = { windowMs: 1000, backoff: 0.9, firstBackoff: 0.8, step: 0.05, raiseAfterMs: 3000, minRate: 0.5, minCalls: 5 };

/** What the SDK hands the limiter after an attempt: `{}` for a success, the error info for a failure. */
interface AttemptOutcome {
  errorType?: string;
  error?: unknown;
}

export class Pacer implements RateLimiter {
  /** Requests/second; undefined until the first throttle. */
  private rate: number | undefined;
  /** The earliest time the next call may be sent. */
  private nextSend = 0;
  private lastChange = 0;
  /**
   * The last change, if it was a lowering: the rate before it (undefined: unpaced) and the answers per
   * second that set it.
   */
  private lowered: { from: number | undefined; answered: number } | undefined;
  private readonly answered: number[] = [];
  private readonly sent: number[] = [];

  constructor(
    private readonly clock: Pick<Clock, "now" | "sleep"> = systemClock,
    private readonly tuning: PacerTuning = PACER_DEFAULTS,
  ) {}

  /** The current rate in requests/second, or undefined while unlimited. */
  get currentRate(): number | undefined {
    return this.rate;
  }

  async getSendToken(): Promise<void> {
    const now = this.clock.now();
    if (this.rate !== undefined) {
      const at = Math.max(now, this.nextSend);
      this.nextSend = at + 1000 / this.rate;
      if (at > now) await this.clock.sleep(at - now);
    }
    this.remember(this.sent, this.clock.now());
  }

  updateClientSendingRate(outcome: AttemptOutcome): void {
    const now = this.clock.now();
    const throttled = outcome.errorType === "THROTTLING" || (outcome.error !== undefined && classify(outcome.error) === "throttled");
    if (throttled) {
      this.onThrottle(now);
    } else if (outcome.errorType === undefined) {
      this.remember(this.answered, now);
      this.maybeRaise(now);
    }
  }

  private onThrottle(now: number): void {
    // Throttles of calls sent before the last change say nothing new about the rate just set.
    if (this.rate !== undefined && now - this.lastChange < this.tuning.windowMs) return;
    // A few calls a second neither drain a rate limit nor measure one: their throttles are left to the
    // retries (an apply that mostly waits would otherwise be paced down to nothing by random throttles).
    const answeredCalls = this.count(this.answered, now);
    if (this.count(this.sent, now) < this.tuning.minCalls || answeredCalls < this.tuning.minCalls) return;
    const answered = (answeredCalls * 1000) / this.tuning.windowMs;
    // A rate limit answers as much after a lowering as before it (we were over it both times); faults
    // that come whatever the rate (random throttling, another client of the account) answer less, in
    // proportion. Then the lowering did not help and lowering again would starve the calls: undo it.
    // The first lowering is never undone: its count holds the service's initial burst.
    const last = this.lowered;
    if (last?.from !== undefined && answered < last.answered * (1 - (1 - this.tuning.backoff) / 2)) {
      this.rate = last.from;
      this.lowered = undefined;
      this.lastChange = now;
      return;
    }
    // The answers measure the service only when the calls were held back by the pace (or not paced at
    // all); when they came slower than the pace, they measure the calls, and the pace steps down instead.
    const next =
      this.rate === undefined ? answered * this.tuning.firstBackoff
      : this.paceBound(now) ? Math.min(this.rate, answered) * this.tuning.backoff
      : this.rate * this.tuning.backoff;
    this.lowered = { from: this.rate, answered };
    this.rate = Math.max(this.tuning.minRate, next);
    this.lastChange = now;
    // The service's bucket is empty: leave it one interval to refill before the next call.
    this.nextSend = Math.max(this.nextSend, now + 1000 / this.rate);
  }

  /** Whether the calls of the last window came as fast as the pace let them. */
  private paceBound(now: number): boolean {
    return this.rate !== undefined && this.count(this.sent, now) >= 0.8 * this.rate * (this.tuning.windowMs / 1000);
  }

  private maybeRaise(now: number): void {
    // Each step up is a probe that ends in one throttled call once past the limit, so steps are rare.
    if (this.rate === undefined || now - this.lastChange < this.tuning.raiseAfterMs) return;
    // Only a rate the calls are using is evidence that a higher one is needed.
    if (this.paceBound(now)) {
      this.rate *= 1 + this.tuning.step;
      this.lowered = undefined;
    }
    this.lastChange = now;
  }

  private remember(list: number[], now: number): void {
    list.push(now);
    this.count(list, now);
  }

  /** Entries within the window ending now; older ones are dropped. */
  private count(list: number[], now: number): number {
    let drop = 0;
    while (drop < list.length && list[drop]! <= now - this.tuning.windowMs) drop++;
    if (drop) list.splice(0, drop);
    return list.length;
  }
}
