/**
 * `npm run bench [-- --json FILE] [-- --quick] [-- --baseline DIR]`: the performance judge.
 * Times every core kernel in Mpx/s, `detect` end to end (wall time, peak RSS), and in the
 * same run the same steps in numpy/scipy, GDAL's read of the same files and the machine's
 * memory bandwidth, then prints the ratios. `--baseline DIR` (a built checkout of an
 * earlier commit, e.g. a git worktree) is measured alongside, interleaved run by run so
 * both see the same machine load.
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { openRaster } from "../pipeline/raster/open-raster.js";
import {
  CHAIN_STEPS,
  KERNEL_STEPS,
  kernelSteps,
  loadCore,
  type KernelInput,
  type KernelStep,
} from "./kernels.js";
import {
  measureBandwidth,
  runDetect,
  summarise,
  type Bandwidth,
  type DetectRun,
  type Summary,
} from "./measure.js";
import { cacheDir, ensurePair, pairFiles, pairName, type PairSpec } from "./scene.js";

/** The repository root: this file runs as dist/bench/main.js. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PYTHON = "/usr/bin/python3";

interface Options {
  quick: boolean;
  json?: string;
  baseline?: string;
  runs: number;
  detectRuns: number;
  detect: boolean;
}

interface DetectCase {
  spec: PairSpec;
  runs: number;
  /** The end-to-end target: detect at most 2x GDAL's read of both files. */
  target: boolean;
}

interface ReferenceAnswer {
  versions: Record<string, string>;
  kernels: Record<string, Record<KernelStep, number[]>>;
  reads: Record<string, number[]>;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      baseline: { type: "string" },
      runs: { type: "string" },
      "detect-runs": { type: "string" },
      "no-detect": { type: "boolean", default: false },
    },
  });
  const quick = values.quick ?? false;
  const runs = Number(values.runs ?? (quick ? 1 : 5));
  const detectRuns = Number(values["detect-runs"] ?? (quick ? 1 : 3));
  for (const [name, v] of [
    ["runs", runs],
    ["detect-runs", detectRuns],
  ] as const) {
    if (!Number.isInteger(v) || v < 1)
      throw new RangeError(`Expected positive integer for --${name} but received ${v}`);
  }
  return {
    quick,
    json: values.json,
    baseline: values.baseline === undefined ? undefined : resolve(values.baseline),
    runs,
    detectRuns,
    detect: !(values["no-detect"] ?? false),
  };
}

/** Kernel inputs: one pair per sample type, uncompressed so reading them is quick. */
function kernelPairs(o: Options): PairSpec[] {
  const sizePx = o.quick ? 1024 : 4096;
  return [
    { sizePx, sampleType: "uint8", layout: "none" },
    { sizePx, sampleType: "uint16", layout: "none" },
  ];
}

function detectCases(o: Options): DetectCase[] {
  if (o.quick)
    return [{ spec: { sizePx: 2048, sampleType: "uint16", layout: "deflate" }, runs: 1, target: true }];
  return [
    { spec: { sizePx: 4096, sampleType: "uint8", layout: "none" }, runs: 1, target: false },
    { spec: { sizePx: 4096, sampleType: "uint16", layout: "deflate" }, runs: 1, target: false },
    { spec: { sizePx: 8192, sampleType: "uint8", layout: "none" }, runs: 1, target: false },
    { spec: { sizePx: 8192, sampleType: "uint8", layout: "deflate" }, runs: 1, target: false },
    { spec: { sizePx: 8192, sampleType: "uint16", layout: "deflate" }, runs: o.detectRuns, target: true },
    { spec: { sizePx: 16384, sampleType: "uint8", layout: "deflate" }, runs: 1, target: false },
  ];
}

async function runReference(request: unknown): Promise<ReferenceAnswer> {
  const stdout = await new Promise<string>((resolvePromise, reject) => {
    const child = spawn(PYTHON, [join(ROOT, "bench", "reference.py")], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolvePromise(out)
        : reject(
            new Error(
              `${PYTHON} bench/reference.py exited with ${code} (see above); it needs Debian's python3-numpy, python3-scipy and python3-gdal`,
            ),
          ),
    );
    child.stdin.end(JSON.stringify(request));
  });
  return JSON.parse(stdout) as ReferenceAnswer;
}

async function readInput(spec: PairSpec): Promise<KernelInput> {
  const files = pairFiles(spec);
  const read = async (path: string) => {
    const source = await openRaster(path);
    try {
      const { width, height } = source.info;
      return await source.readWindow({ x: 0, y: 0, width, height });
    } finally {
      await source.close();
    }
  };
  const before = await read(files.before);
  const after = await read(files.after);
  const bands = spec.sampleType === "uint8" ? 3 : 4;
  return { width: spec.sizePx, height: spec.sizePx, bands, before, after };
}

/** Per root, per kernel pair, per step: times in ms. Roots alternate every repetition. */
async function timeKernels(
  roots: string[],
  pairs: PairSpec[],
  runs: number,
): Promise<Record<string, Record<string, Record<KernelStep, number[]>>>> {
  const result: Record<string, Record<string, Record<KernelStep, number[]>>> = {};
  const cores = await Promise.all(roots.map((r) => loadCore(r)));
  for (const root of roots) result[root] = {};
  for (const spec of pairs) {
    const input = await readInput(spec);
    const steps = cores.map((core) => kernelSteps(core, input));
    const name = pairName(spec);
    for (const root of roots) {
      result[root][name] = Object.fromEntries(KERNEL_STEPS.map((s) => [s, [] as number[]])) as Record<
        KernelStep,
        number[]
      >;
    }
    // One untimed warm-up so both sides are measured with optimised code.
    for (let rep = -1; rep < runs; rep++) {
      roots.forEach((root, r) => {
        for (const [step, fn] of steps[r]) {
          const t0 = performance.now();
          fn();
          const ms = performance.now() - t0;
          if (rep >= 0) result[root][name][step].push(ms);
        }
      });
    }
  }
  return result;
}

const fmt = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : "-");
const spread = (s: Summary, digits = 0) =>
  s.runs > 1
    ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`
    : fmt(s.median, digits);
const label = (root: string) => (root === ROOT ? "this tree" : root);

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
}

async function main(): Promise<void> {
  const o = parseOptions();
  const roots = o.baseline === undefined ? [ROOT] : [o.baseline, ROOT];
  const startedAt = new Date().toISOString();
  const loadAtStart = load();
  console.log(`changewatch bench ${startedAt}; ${cpus().length} cores; load ${loadAtStart}`);
  console.log(`cache ${cacheDir()}; roots: ${roots.map(label).join(", ")}`);

  const kPairs = kernelPairs(o);
  const cases = o.detect ? detectCases(o) : [];
  const specs = [...kPairs, ...cases.map((c) => c.spec)];
  for (const spec of specs) {
    const s = await ensurePair(spec);
    if (s > 0) console.log(`made ${pairName(spec)} in ${s.toFixed(0)} s`);
  }

  const bandwidth: Bandwidth = await measureBandwidth(join(ROOT, "bench", "stream.c"), cacheDir());
  console.log(
    `bandwidth: STREAM triad ${fmt(bandwidth.triadGBs1, 1)} GB/s on 1 thread, ${fmt(bandwidth.triadGBsAll, 1)} on ${bandwidth.cores}; V8 triad ${fmt(bandwidth.triadGBsNode, 1)}; C change vector ${fmt(bandwidth.changeVectorMpxs1)} Mpx/s (1 thread), ${fmt(bandwidth.changeVectorMpxsAll)} (${bandwidth.cores})`,
  );

  const readFiles = cases.flatMap((c) => [pairFiles(c.spec).before, pairFiles(c.spec).after]);
  const reference = await runReference({
    runs: o.runs,
    kernelPairs: kPairs.map((spec) => ({ name: pairName(spec), ...pairFiles(spec) })),
    readFiles,
  });
  const kernels = await timeKernels(roots, kPairs, o.runs);

  const report: string[] = [];
  const json: Record<string, unknown> = {
    startedAt,
    cores: cpus().length,
    loadAtStart,
    roots,
    bandwidth,
    referenceVersions: reference.versions,
    kernels: {},
    detect: {},
  };
  for (const spec of kPairs) {
    const name = pairName(spec);
    const px = spec.sizePx * spec.sizePx;
    const bands = spec.sampleType === "uint8" ? 3 : 4;
    const mpxs = (ms: number) => px / 1000 / ms;
    report.push(
      "",
      `### Core kernels, one thread, ${name} (float32 in memory; ms median (min-max), Mpx/s)`,
      "",
    );
    const head = ["step"];
    for (const root of roots) head.push(`${label(root)} ms`, "Mpx/s");
    head.push("numpy/scipy ms", "Mpx/s", "x numpy");
    if (roots.length > 1) head.push("x baseline");
    report.push(`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`);
    const entry: Record<string, unknown> = {};
    const chain: number[] = roots.map(() => 0);
    let chainRef = 0;
    for (const step of KERNEL_STEPS) {
      const ref = summarise(reference.kernels[name][step]);
      const ours = roots.map((root) => summarise(kernels[root][name][step]));
      const row: string[] = [step];
      ours.forEach((s) => row.push(spread(s, 1), fmt(mpxs(s.median))));
      const last = ours[ours.length - 1];
      row.push(spread(ref, 1), fmt(mpxs(ref.median)), fmt(ref.median / last.median, 2));
      if (roots.length > 1) row.push(fmt(ours[0].median / last.median, 2));
      report.push(`| ${row.join(" | ")} |`);
      if (CHAIN_STEPS.includes(step)) {
        ours.forEach((s, r) => (chain[r] += s.median));
        chainRef += ref.median;
      }
      entry[step] = { reference: ref, roots: Object.fromEntries(roots.map((root, r) => [root, ours[r]])) };
    }
    const chainRow = [`**core chain** (${CHAIN_STEPS.join(" + ")})`];
    chain.forEach((ms) => chainRow.push(fmt(ms, 1), fmt(mpxs(ms))));
    chainRow.push(fmt(chainRef, 1), fmt(mpxs(chainRef)), fmt(chainRef / chain[chain.length - 1], 2));
    if (roots.length > 1) chainRow.push(fmt(chain[0] / chain[chain.length - 1], 2));
    report.push(`| ${chainRow.join(" | ")} |`);
    // Bytes the change vector must move: both images' samples in, one float out, per pixel.
    const bytesPerPx = (2 * bands + 1) * 4;
    const cvLine = roots.map((root) => {
      const ms = summarise(kernels[root][name].changeVector).median;
      const gbs = (px * bytesPerPx) / (ms / 1000) / 1e9;
      return `${label(root)} ${fmt(gbs, 1)} GB/s = ${fmt((100 * gbs) / bandwidth.triadGBs1)}% of the 1-thread triad`;
    });
    report.push(
      "",
      `Change vector traffic ${bytesPerPx} B/px: ${cvLine.join("; ")}; C -O3 (3 bands): ${fmt(((bandwidth.changeVectorMpxs1 * 28) / 1000 / bandwidth.triadGBs1) * 100)}%.`,
    );
    (json.kernels as Record<string, unknown>)[name] = {
      steps: entry,
      chainMs: chain,
      chainReferenceMs: chainRef,
    };
  }

  // The kernel tables are printed now: detect on the large pairs takes minutes.
  console.log(report.join("\n"));
  report.length = 0;
  if (cases.length > 0) {
    report.push(
      "",
      "### detect end to end (2 cores available; s median (min-max); peak RSS; GDAL = single-threaded ReadAsArray of both files)",
      "",
    );
    report.push(
      "| pair | tree | wall s | plan s | tiles s | assemble s | peak RSS MB | GDAL read s | x GDAL read | detections |",
      "|---|---|---|---|---|---|---|---|---|---|",
    );
    const rss: Record<string, Record<string, number>> = {};
    for (const c of cases) {
      const files = pairFiles(c.spec);
      const name = pairName(c.spec);
      const runsByRoot: Record<string, DetectRun[]> = Object.fromEntries(roots.map((r) => [r, []]));
      const failures: Record<string, string> = {};
      for (let rep = 0; rep < c.runs; rep++) {
        for (const root of roots) {
          if (failures[root] !== undefined) continue;
          try {
            runsByRoot[root].push(await runDetect(root, files.before, files.after));
          } catch (err) {
            // A tree that cannot process a pair is a result too: report it and go on.
            failures[root] = (err instanceof Error ? err.message : String(err))
              .split("\n")
              .slice(0, 2)
              .join(" ");
          }
        }
      }
      const gdal = (reference.reads[files.before] ?? []).map(
        (ms, i) => ms + (reference.reads[files.after]?.[i] ?? NaN),
      );
      const gdalS = summarise(gdal.map((ms) => ms / 1000));
      const entry: Record<string, unknown> = { gdalReadS: gdalS, target: c.target };
      for (const root of roots) {
        const rs = runsByRoot[root];
        if (rs.length === 0) {
          report.push(
            `| ${name} | ${label(root)} | failed: ${failures[root] ?? "no run"} | | | | | ${fmt(gdalS.median, 2)} | | |`,
          );
          entry[root] = { failed: failures[root] };
          continue;
        }
        const wall = summarise(rs.map((r) => r.wallS));
        const stage = (k: string) => fmt(summarise(rs.map((r) => (r.timingsMs[k] ?? NaN) / 1000)).median, 1);
        const peak = Math.max(...rs.map((r) => r.peakRssMB));
        (rss[root] ??= {})[name] = peak;
        report.push(
          `| ${name}${c.target ? " (target)" : ""} | ${label(root)} | ${spread(wall, 1)} | ${stage("plan")} | ${stage("tiles")} | ${stage("assemble")} | ${fmt(peak)} | ${fmt(gdalS.median, 2)} | ${fmt(wall.median / gdalS.median, 2)} | ${rs[0].detections} |`,
        );
        entry[root] = { wallS: wall, peakRssMB: peak, runs: rs };
      }
      (json.detect as Record<string, unknown>)[name] = entry;
      console.log(`detect ${name} done; load ${load()}`);
    }
    const big = pairName({ sizePx: 16384, sampleType: "uint8", layout: "deflate" });
    const mid = pairName({ sizePx: 8192, sampleType: "uint8", layout: "deflate" });
    for (const root of roots) {
      if (rss[root]?.[big] !== undefined && rss[root]?.[mid] !== undefined) {
        report.push(
          "",
          `Peak RSS ${label(root)}: 16384² ${fmt(rss[root][big])} MB / 8192² ${fmt(rss[root][mid])} MB = ${fmt(rss[root][big] / rss[root][mid], 2)}x (target <= 1.2x and < 1536 MB).`,
        );
      }
    }
  }
  const loadAtEnd = load();
  report.push(
    "",
    `Load average at start ${loadAtStart}, at end ${loadAtEnd}; reference: ${JSON.stringify(reference.versions)}`,
  );
  json.loadAtEnd = loadAtEnd;
  console.log(report.join("\n"));
  if (o.json !== undefined) await writeFile(o.json, JSON.stringify(json, null, 1));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
