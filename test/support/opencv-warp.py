"""OpenCV reference for MediaPipe's ImageToTensorCalculator (CPU): boxPoints, getPerspectiveTransform,
warpPerspective (INTER_LINEAR, BORDER_CONSTANT 0) and convertTo(CV_32F, scale, offset).

Usage: opencv-warp.py JOBS.json IMAGES.bin OUT.bin

JOBS.json: {"images": [{"offset", "width", "height", "channels"}],
            "cases": [{"image", "rect": [cx, cy, w, h, angle_degrees], "width", "height", "range": [min, max]}]}
IMAGES.bin holds each image's interleaved uint8 pixels at its offset. For each case, in order, OUT.bin
gets: the 4 corners (float32 x 8), the 3x3 matrix (float64 x 9), the warped RGB image (uint8,
height x width x 3), the SHA-256 of the tensor (float32 little-endian, height x width x 3: 32 bytes)
and the tensor values of the bytes 0..255 (float32 x 256, converted in one long row), all
little-endian. The digest keeps OUT.bin small; the 256 values say by how much a tensor differs.

Python exposes no Mat::convertTo with a scale and an offset, so the tensor comes from
cv2.normalize(NORM_MINMAX, dtype=CV_32F), which calls convertTo(CV_32F, scale, shift) with
scale = (float)((max - min) / 255) and shift = min once the data spans 0..255: two sentinel bytes
0 and 255 are appended to the flattened warp and dropped afterwards. The script checks that this
scale and offset are MediaPipe's float32 ones (GetValueRangeTransformation) and fails otherwise.
"""
import hashlib
import json
import sys

import cv2
import numpy as np


def mediapipe_transformation(lo, hi):
    scale = np.float32(np.float32(hi) - np.float32(lo)) / np.float32(255)
    offset = np.float32(np.float32(lo) - np.float32(np.float32(0) * scale))
    return np.float32(scale), offset


def convert(warped, lo, hi):
    scale, offset = mediapipe_transformation(lo, hi)
    normalize_scale = np.float32((max(lo, hi) - min(lo, hi)) * (1.0 / 255))
    if normalize_scale != scale or np.float32(min(lo, hi)) != offset:
        sys.exit(f"range [{lo}, {hi}]: cv2.normalize would use scale {normalize_scale} offset {min(lo, hi)}, "
                 f"MediaPipe uses {scale} {offset}")
    flat = np.concatenate([warped.reshape(-1), np.array([0, 255], dtype=np.uint8)]).reshape(1, -1)
    out = cv2.normalize(flat, None, alpha=lo, beta=hi, norm_type=cv2.NORM_MINMAX, dtype=cv2.CV_32F)
    return out[0, :-2]


def little_endian(values, dtype):
    """The values as a contiguous array of `dtype`, without a copy when they already are one."""
    return np.ascontiguousarray(values, dtype=dtype).reshape(-1)


def main():
    jobs_path, images_path, out_path = sys.argv[1:4]
    with open(jobs_path) as f:
        jobs = json.load(f)
    blob = np.fromfile(images_path, dtype=np.uint8)
    images = []
    for info in jobs["images"]:
        size = info["width"] * info["height"] * info["channels"]
        pixels = blob[info["offset"]:info["offset"] + size]
        images.append(pixels.reshape(info["height"], info["width"], info["channels"]))
    with open(out_path, "wb") as out:
        for case in jobs["cases"]:
            src = images[case["image"]]
            cx, cy, w, h, angle = case["rect"]
            width, height = case["width"], case["height"]
            corners = cv2.boxPoints(((cx, cy), (w, h), angle)).astype(np.float32)
            dst = np.array([[0, height], [0, 0], [width, 0], [width, height]], dtype=np.float32)
            matrix = cv2.getPerspectiveTransform(corners, dst)
            warped = cv2.warpPerspective(src, matrix, (width, height), flags=cv2.INTER_LINEAR,
                                         borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
            if warped.ndim == 3 and warped.shape[2] == 4:
                warped = cv2.cvtColor(warped, cv2.COLOR_RGBA2RGB)
            tensor = convert(warped, *case["range"])
            table = convert(np.tile(np.arange(256, dtype=np.uint8), 4), *case["range"])[:256]
            # Buffers written and hashed in place: copying each tensor to bytes was a third of the run.
            out.write(little_endian(corners, "<f4"))
            out.write(little_endian(matrix, "<f8"))
            out.write(np.ascontiguousarray(warped).reshape(-1))
            out.write(hashlib.sha256(little_endian(tensor, "<f4")).digest())
            out.write(little_endian(table, "<f4"))


if __name__ == "__main__":
    main()
