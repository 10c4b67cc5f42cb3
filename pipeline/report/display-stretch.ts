/**
 * 8-bit display of float pixels for the report's chips: the run's display bands (red,
 * green, blue or one grey band), each stretched linearly between its 2nd and 98th
 * percentile, so 16-bit and 13-band imagery look as a person expects.
 */
import type { PairStats } from "../run/pair-plan.js";

/** Which bands are shown and the value mapped to 0 and to 255 for each. */
export interface DisplayStretch {
  bands: number[];
  low: number[];
  high: number[];
}

/** Grey for pixels with no data (NaN), so they read as "nothing here" rather than black ground. */
export const NO_DATA_GREY = 64;

/** The after image's stretch, as the run measured it (per display band, 2-98% percentiles). */
export function afterStretch(stats: PairStats): DisplayStretch {
  return { bands: stats.displayBands, low: stats.stretchLow, high: stats.stretchHigh };
}

/**
 * The before image's stretch: the after percentiles carried into before's radiometry by the
 * run's normalisation (after' = gain * after + offset), so one surface looks the same in
 * both chips and only real change differs.
 */
export function beforeStretch(stats: PairStats): DisplayStretch {
  const low: number[] = [];
  const high: number[] = [];
  stats.displayBands.forEach((band, k) => {
    const a = stats.gain[band] * stats.stretchLow[k] + stats.offset[band];
    const b = stats.gain[band] * stats.stretchHigh[k] + stats.offset[band];
    low.push(Math.min(a, b));
    high.push(Math.max(a, b));
  });
  return { bands: stats.displayBands, low, high };
}

/**
 * Pixel-interleaved float samples (length pixels * bands) to RGB bytes (length pixels * 3)
 * written into `out`. A grey stretch fills all three channels; NaN becomes NO_DATA_GREY.
 */
export function toDisplayRgb(
  samples: Float32Array,
  pixels: number,
  bands: number,
  stretch: DisplayStretch,
  out: Uint8Array,
): Uint8Array {
  const k3 = stretch.bands.length === 3;
  for (let i = 0; i < pixels; i++) {
    for (let c = 0; c < 3; c++) {
      const k = k3 ? c : 0;
      const v = samples[i * bands + stretch.bands[k]];
      const span = stretch.high[k] - stretch.low[k] || 1;
      out[i * 3 + c] =
        v === v ? Math.max(0, Math.min(255, Math.round(((v - stretch.low[k]) / span) * 255))) : NO_DATA_GREY;
    }
  }
  return out;
}
