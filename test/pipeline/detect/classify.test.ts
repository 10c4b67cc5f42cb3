import { describe, expect, it } from "vitest";
import { classifyRegion, type RegionFeatures } from "../../../pipeline/detect/classify.js";

const base: RegionFeatures = {
  areaM2: 900,
  shape: { lengthM: 60, widthM: 15, elongation: 4, rectangularity: 0.92, orientationDeg: 10 },
  evidence: {
    score: 9,
    spectral: 8,
    brightness: 3,
    structure: 2,
    vegetationLoss: 0.5,
    waterBefore: 0,
    waterAfter: 0,
    shadow: 0.2,
  },
  threshold: 3,
};
const withEvidence = (e: Partial<RegionFeatures["evidence"]>, rest: Partial<RegionFeatures> = {}) => ({
  ...base,
  ...rest,
  evidence: { ...base.evidence, ...e },
});

describe("classifyRegion", () => {
  it("calls a bright rectangular slab an apartment block, confidently", () => {
    const c = classifyRegion(base);
    expect(c.class).toBe("apartment_block");
    expect(c.confidence).toBeGreaterThan(0.8);
  });

  it("calls a compact structure over water a bridge foundation", () => {
    const c = classifyRegion(
      withEvidence(
        { waterBefore: 0.9 },
        {
          areaM2: 60,
          shape: { lengthM: 10, widthM: 6, elongation: 1.7, rectangularity: 0.9, orientationDeg: 0 },
        },
      ),
    );
    expect(c.class).toBe("bridge_foundation");
  });

  it("calls a large change over water land-fill (earthworks)", () => {
    expect(classifyRegion(withEvidence({ waterBefore: 0.8 }, { areaM2: 3200 })).class).toBe("earthworks");
  });

  it("calls lost edges and brightness a demolition", () => {
    expect(classifyRegion(withEvidence({ structure: -2.5, brightness: -1 })).class).toBe("demolition");
  });

  it("calls a long narrow strip linear earthworks", () => {
    const shape = { lengthM: 300, widthM: 10, elongation: 30, rectangularity: 0.8, orientationDeg: 45 };
    expect(classifyRegion({ ...base, areaM2: 3000, shape }).class).toBe("earthworks");
  });

  it("calls a compact square building other", () => {
    const shape = { lengthM: 35, widthM: 33, elongation: 1.06, rectangularity: 0.95, orientationDeg: 0 };
    expect(classifyRegion({ ...base, areaM2: 1150, shape }).class).toBe("other");
  });

  it("gives a region barely over the threshold a lower confidence than a strong one", () => {
    const weak = classifyRegion(withEvidence({ score: 3.1 }));
    expect(weak.confidence).toBeLessThan(classifyRegion(base).confidence);
    expect(weak.confidence).toBeGreaterThanOrEqual(0);
  });
});
