// "A write is in progress": a report or withdrawal changes what checks answer, so nothing cached before it, or read
// while it is in flight, may be served after it, and a check that starts during it must not join one that started
// before. The read path consults this one object for both.

/** @internal */
export class WriteState {
  #epoch = 0;
  #inFlight = 0;
  readonly #onMove: () => void;

  /** @param onMove called each time a write starts or ends: the read path drops what it may no longer serve. */
  constructor(onMove: () => void) {
    this.#onMove = onMove;
  }

  /** Moves when a write starts or ends. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Whether an answer read since `epoch` may be kept: no write started or ended since, and none is in flight. */
  settledSince(epoch: number): boolean {
    return epoch === this.#epoch && this.#inFlight === 0;
  }

  /** Runs one write, marked as in progress while it runs. */
  async run<T>(write: () => Promise<T>): Promise<T> {
    this.#move(1);
    try {
      return await write();
    } finally {
      this.#move(-1);
    }
  }

  #move(delta: 1 | -1): void {
    this.#epoch++;
    this.#inFlight += delta;
    this.#onMove();
  }
}
