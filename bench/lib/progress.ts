/**
 * One progress line on stderr while a long phase runs: rewritten in place on a terminal, and on a
 * log (CI, a pipe) printed when the phase changes and at most every few seconds, so a log stays short.
 */
const THROTTLE_MS = 5_000;

export class Progress {
  #tty = Boolean(process.stderr.isTTY);
  #shown = false;
  #lastPhase = '';
  #lastPrint = 0;

  /** Shows `phase: detail`; on a log, only when the phase changed or the throttle allows. */
  update(phase: string, detail = ''): void {
    const text = detail ? `${phase}: ${detail}` : phase;
    if (this.#tty) {
      const width = (process.stderr.columns ?? 100) - 1;
      process.stderr.write(`\r\x1b[K${text.slice(0, width)}`);
      this.#shown = true;
      return;
    }
    const now = Date.now();
    if (phase !== this.#lastPhase || now - this.#lastPrint >= THROTTLE_MS) {
      process.stderr.write(`  … ${text}\n`);
      this.#lastPhase = phase;
      this.#lastPrint = now;
    }
  }

  /** Clears the line (on a terminal) before normal output is printed. */
  clear(): void {
    if (this.#tty && this.#shown) process.stderr.write('\r\x1b[K');
    this.#shown = false;
  }

  /**
   * Runs `work` while a timer refreshes the line every second with the elapsed time (and the total,
   * when known), then clears it.
   */
  async during<T>(phase: string, work: () => Promise<T>, totalSeconds?: number, detail?: () => string): Promise<T> {
    const started = Date.now();
    const show = () => {
      const elapsed = Math.round((Date.now() - started) / 1000);
      if (elapsed === 0) return this.update(phase, totalSeconds === undefined ? '' : `${totalSeconds} s`);
      const time = totalSeconds === undefined ? `${elapsed} s` : `${Math.min(elapsed, totalSeconds)}/${totalSeconds} s`;
      this.update(phase, [time, detail?.()].filter(Boolean).join('  '));
    };
    show();
    const timer = setInterval(show, 1_000);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      this.clear();
    }
  }
}

export const progress = new Progress();
