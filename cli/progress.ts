/** A progress bar on stderr for long commands; silent when stderr is not a terminal or --quiet is set. */
import { SingleBar, Presets } from "cli-progress";

export interface ProgressReporter {
  update(label: string, done: number, total: number): void;
  stop(): void;
}

export function progressReporter(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) {
    return { update: () => undefined, stop: () => undefined };
  }
  const bar = new SingleBar(
    { format: " {bar} {percentage}% | {stage} {value}/{total}", stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(label, done, total) {
      if (!started) {
        bar.start(total, done, { stage: label });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { stage: label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
