/** A timeout that can be paused while a person answers a prompt. */
export class PausableTimer {
  private handle: NodeJS.Timeout | null = null;
  private remaining: number;
  private startedAt = 0;
  private pauses = 0;
  private done = false;

  constructor(
    ms: number,
    private readonly onTimeout: () => void,
  ) {
    this.remaining = ms;
    this.start();
  }

  pause(): void {
    if (this.done) return;
    if (this.pauses++ === 0 && this.handle) {
      clearTimeout(this.handle);
      this.handle = null;
      this.remaining -= Date.now() - this.startedAt;
    }
  }

  resume(): void {
    if (this.done || this.pauses === 0) return;
    if (--this.pauses === 0) this.start();
  }

  cancel(): void {
    this.done = true;
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
  }

  private start(): void {
    this.startedAt = Date.now();
    this.handle = setTimeout(
      () => {
        this.done = true;
        this.onTimeout();
      },
      Math.max(this.remaining, 0),
    );
  }
}
