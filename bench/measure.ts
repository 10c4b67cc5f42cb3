/**
 * Measurement helpers for the bench: summaries of repeated timings, the machine's memory
 * bandwidth (C STREAM triad compiled here, and the same triad in V8), and `detect` run as a
 * child process with its wall time and peak resident memory.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

export interface Bandwidth {
  cores: number;
  /** STREAM triad, GB/s (bytes named by the loop: 24 per element). */
  triadGBs1: number;
  triadGBsAll: number;
  /** gcc -O3 -march=native 3-band float32 change vector, Mpx/s. */
  changeVectorMpxs1: number;
  changeVectorMpxsAll: number;
  /** The same triad as a plain V8 loop over Float64Arrays, one thread. */
  triadGBsNode: number;
}

/** Compiles bench/stream.c into `cache` (once per source) and runs it, plus the V8 triad. */
export async function measureBandwidth(source: string, cache: string): Promise<Bandwidth> {
  const text = await readFile(source, "utf8");
  const binary = join(cache, `stream-${hashOf(text)}`);
  if (!existsSync(binary)) {
    await run("gcc", ["-O3", "-march=native", "-fopenmp", "-o", binary, source, "-lm"]);
  }
  const { stdout } = await run(binary, [], { maxBuffer: 1 << 20 });
  const c = JSON.parse(stdout) as Omit<Bandwidth, "triadGBsNode">;
  return { ...c, triadGBsNode: nodeTriad() };
}

function nodeTriad(): number {
  const n = 1 << 25;
  const a = new Float64Array(n);
  const b = new Float64Array(n).fill(1);
  const c = new Float64Array(n).fill(2);
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) a[i] = b[i] + 3 * c[i];
    best = Math.min(best, performance.now() - t0);
  }
  return (24 * n) / (best / 1000) / 1e9;
}

function hashOf(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16);
}

export interface DetectRun {
  wallS: number;
  peakRssMB: number;
  /** Stage timings from the run's run.json. */
  timingsMs: Record<string, number>;
  detections: number;
}

/**
 * Runs `node <root>/dist/cli/main.js detect` under /usr/bin/time -v (GNU time), which
 * reports the child's peak resident set size; the output folder is removed afterwards.
 */
export async function runDetect(root: string, before: string, after: string): Promise<DetectRun> {
  const out = await mkdtemp(join(tmpdir(), "changewatch-bench-"));
  const dir = join(out, "run");
  try {
    const cli = join(root, "dist", "cli", "main.js");
    const started = performance.now();
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        "/usr/bin/time",
        ["-v", process.execPath, cli, "detect", before, after, "--out", dir, "-q"],
        {
          stdio: ["ignore", "ignore", "pipe"],
        },
      );
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) =>
        code === 0 ? resolve(err) : reject(new Error(`detect exited with ${code}: ${err.slice(-2000)}`)),
      );
    });
    const wallS = (performance.now() - started) / 1000;
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (rss === null) throw new Error(`no peak RSS in /usr/bin/time output: ${stderr.slice(-500)}`);
    const record = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as {
      timingsMs: Record<string, number>;
      counts: { detections: number };
    };
    return {
      wallS,
      peakRssMB: Number(rss[1]) / 1024,
      timingsMs: record.timingsMs,
      detections: record.counts.detections,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
