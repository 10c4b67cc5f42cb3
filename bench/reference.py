"""The bench's reference: what a remote-sensing engineer would write with numpy/scipy and
GDAL, timed on the same files in the same run as changewatch's kernels.

Run by bench/main.ts with Debian's /usr/bin/python3 (python3-numpy, python3-scipy,
python3-gdal). Reads one JSON request on stdin, prints one JSON answer on stdout:
  request:  {"runs": N, "kernelPairs": [{"name", "before", "after"}], "readFiles": [path, ...]}
  answer:   {"versions": {...}, "kernels": {name: {step: [ms, ...]}}, "reads": {path: [ms, ...]}}
Every step uses in-place ufuncs and preallocated outputs where numpy allows, on one thread
(numpy's element-wise ufuncs and scipy.ndimage do not thread).
"""

import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy import ndimage  # noqa: E402
from osgeo import gdal  # noqa: E402

gdal.UseExceptions()
# One decoding thread, like a plain GDAL read.
gdal.SetConfigOption("GDAL_NUM_THREADS", "1")
# No block cache carried from one read of a file to the next.
gdal.SetCacheMax(64 * 1024 * 1024)

HIST_BINS = 1024
GAIN = (1.05, 0.97, 1.02, 0.99)
OFFSET = (-2.0, 1.5, 0.5, -1.0)


def read_interleaved(path):
    """float32 (height, width, bands), pixel-interleaved like changewatch's buffers."""
    ds = gdal.Open(path)
    data = ds.ReadAsArray(interleave="pixel")
    if data.ndim == 2:
        data = data[:, :, None]
    return np.ascontiguousarray(data, dtype=np.float32)


def otsu(hist, lo, hi):
    """Otsu's threshold on a histogram, vectorised (as scikit-image does it)."""
    bins = hist.size
    centres = np.arange(bins, dtype=np.float64)
    w0 = np.cumsum(hist)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu0 = m0 / w0
        mu1 = (m0[-1] - m0) / w1
        between = w0 * w1 * (mu0 - mu1) ** 2
    between = np.nan_to_num(between[:-1], nan=-1.0)
    k = int(np.argmax(between))
    return lo + (k + 1) * (hi - lo) / bins


def kernel_steps(before, after):
    """The steps of changewatch's core, each a closure over preallocated buffers."""
    h, w, bands = before.shape
    gain = np.array(GAIN[:bands], dtype=np.float32)
    offset = np.array(OFFSET[:bands], dtype=np.float32)
    weight = np.ones(bands, dtype=np.float32)
    normed = np.empty_like(after)
    diff = np.empty_like(after)
    cv = np.empty((h, w), dtype=np.float32)
    bright = np.empty((h, w), dtype=np.float32)
    nd = np.empty((h, w), dtype=np.float32)
    num = np.empty((h, w), dtype=np.float32)
    gx = np.empty((h, w), dtype=np.float32)
    gy = np.empty((h, w), dtype=np.float32)
    smooth = np.empty((h, w), dtype=np.float32)
    state = {}

    def normalise():
        np.multiply(after, gain, out=normed)
        np.add(normed, offset, out=normed)

    def change_vector():
        np.subtract(normed, before, out=diff)
        np.multiply(diff, weight, out=diff)
        np.multiply(diff, diff, out=diff)
        np.sum(diff, axis=2, out=cv)
        np.sqrt(cv, out=cv)

    def indices():
        np.mean(before, axis=2, out=bright)
        a = before[:, :, bands - 1]
        b = before[:, :, 0]
        np.subtract(a, b, out=num)
        np.add(a, b, out=nd)
        np.divide(num, nd, out=nd, where=nd != 0)

    def gradient():
        ndimage.sobel(bright, axis=1, output=gx, mode="nearest")
        ndimage.sobel(bright, axis=0, output=gy, mode="nearest")
        np.hypot(gx, gy, out=gx)
        np.multiply(gx, 0.125, out=gx)

    def box_mean():
        ndimage.uniform_filter(cv, size=5, output=smooth, mode="nearest")

    def threshold():
        top = float(cv.max())
        hist, _ = np.histogram(cv, bins=HIST_BINS, range=(0.0, top))
        state["mask"] = cv >= otsu(hist, 0.0, top)

    def morphology():
        state["opened"] = ndimage.binary_opening(state["mask"], structure=np.ones((3, 3), bool))

    def components():
        state["labels"], state["count"] = ndimage.label(state["opened"], structure=np.ones((3, 3), int))

    def regions():
        # Area, moments, an evidence sum and bounding boxes per label: what measureRegions
        # gives (its convex hull aside, which numpy has no vectorised way to build).
        labels = state["labels"].ravel()
        n = state["count"] + 1
        ys, xs = np.divmod(np.arange(labels.size, dtype=np.int64), w)
        cx = xs + 0.5
        cy = ys + 0.5
        np.bincount(labels, minlength=n)
        for weights in (cx, cy, cx * cx, cy * cy, cx * cy, cv.ravel()):
            np.bincount(labels, weights=weights, minlength=n)
        ndimage.find_objects(state["labels"])

    return [
        ("normalise", normalise),
        ("changeVector", change_vector),
        ("indices", indices),
        ("gradient", gradient),
        ("boxMean", box_mean),
        ("threshold", threshold),
        ("morphology", morphology),
        ("components", components),
        ("regions", regions),
    ]


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def main():
    request = json.load(sys.stdin)
    runs = int(request["runs"])
    answer = {
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "gdal": gdal.__version__,
        },
        "kernels": {},
        "reads": {},
    }
    for pair in request["kernelPairs"]:
        before = read_interleaved(pair["before"])
        after = read_interleaved(pair["after"])
        steps = kernel_steps(before, after)
        times = {name: [] for name, _ in steps}
        for _ in range(runs):
            # In order, since each step consumes the previous one's output.
            for name, fn in steps:
                times[name].append(timed(fn))
        answer["kernels"][pair["name"]] = times
        del before, after, steps
    for path in request["readFiles"]:
        answer["reads"][path] = [timed(lambda: gdal.Open(path).ReadAsArray()) for _ in range(runs)]
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
