// Waiting for what a server sends, with a bound: a wrong expectation fails the test with a message
// naming what never came, instead of leaving the run waiting for ever. A bound, not a pause: nothing
// waits for the timer when the awaited message arrives.

/** Long enough for a loaded 2-core CI machine, short enough that a wrong expectation fails the run soon. */
export const WAIT_BOUND_MS = 20_000;

/** `promise`, or a rejection naming `what` when it has not settled within `ms`. */
export function within<T>(promise: Promise<T>, what: string, ms = WAIT_BOUND_MS, lastSeen?: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const seen = lastSeen?.();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}${seen ? `; last seen: ${seen}` : ''}`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Values as they arrive; `wait` resolves when a predicate holds for one already seen or the next one to arrive. */
export class Waiters<T> {
  private readonly seen: T[] = [];
  private readonly waiting: { predicate: (v: T) => boolean; resolve: (v: T) => void }[] = [];

  /** `kind` names the values in a timeout's message; `summary` says what one of them was */
  constructor(
    private readonly kind: string,
    private readonly summary: (v: T) => string = (v) => JSON.stringify(v),
  ) {}

  push(value: T): void {
    this.seen.push(value);
    for (const w of [...this.waiting]) {
      if (w.predicate(value)) {
        this.waiting.splice(this.waiting.indexOf(w), 1);
        w.resolve(value);
      }
    }
  }

  /**
   * The first value from the `after`-th on (so a test can wait for something newer than what it saw)
   * for which `predicate` holds; `what` says what that is when none comes within `ms`.
   */
  wait(what: string, predicate: (v: T) => boolean, after = 0, ms = WAIT_BOUND_MS): Promise<T> {
    const found = this.seen.slice(after).find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    const waiter = { predicate, resolve: (_: T): void => undefined };
    const arrived = new Promise<T>((resolve) => {
      waiter.resolve = resolve;
      this.waiting.push(waiter);
    });
    return within(arrived, `${this.kind}: ${what}`, ms, () => this.lastSeen(after)).finally(() => {
      const index = this.waiting.indexOf(waiter);
      if (index >= 0) this.waiting.splice(index, 1);
    });
  }

  get all(): readonly T[] {
    return this.seen;
  }

  /** the last three values from the `after`-th on, summarised (a timeout's message says what came instead) */
  private lastSeen(after: number): string {
    const values = this.seen.slice(after);
    if (values.length === 0) return 'none';
    const shown = values.slice(-3).map((v) => truncate(this.summary(v), 300));
    return `${values.length} in all${values.length > 3 ? ', the last 3' : ''}: ${shown.join(' | ')}`;
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
