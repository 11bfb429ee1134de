#!/usr/bin/env python3
"""Draws resources/mdnviz.png, the application icon: the inverse sinusoid's branches as a sample
cloud over a dark tile, with the MSE fit's flat average across it. Standard library only."""
import math
import struct
import sys
import zlib

SIZE = 256


def png(path, pixels):
    raw = b"".join(b"\0" + bytes(row) for row in pixels)
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def main(path):
    img = [[0] * (SIZE * 4) for _ in range(SIZE)]
    def blend(x, y, rgb, a):
        if 0 <= x < SIZE and 0 <= y < SIZE:
            p = img[y]
            for c in range(3):
                p[4 * x + c] = int(p[4 * x + c] * (1 - a) + rgb[c] * a)
            p[4 * x + 3] = max(p[4 * x + 3], int(255 * a))
    # Rounded dark tile.
    r = 40
    for y in range(SIZE):
        for x in range(SIZE):
            dx = max(r - x, x - (SIZE - 1 - r), 0)
            dy = max(r - y, y - (SIZE - 1 - r), 0)
            if dx * dx + dy * dy <= r * r:
                img[y][4 * x:4 * x + 4] = [28, 34, 48, 255]
    # Branches x = 7 sin(0.75 t) + 0.5 t, drawn as soft dots (t vertical, x horizontal).
    for i in range(900):
        t = -10.5 + 21.0 * i / 899
        xv = 7 * math.sin(0.75 * t) + 0.5 * t
        px = int(128 + xv * 6.3)
        py = int(128 - t * 10.0)
        for oy in range(-3, 4):
            for ox in range(-3, 4):
                d = ox * ox + oy * oy
                if d <= 9:
                    blend(px + ox, py + oy, (80, 200, 120), 0.35 * (1 - d / 10))
    # The MSE fit: the average of the branches, nearly a straight line.
    for i in range(SIZE - 60):
        x = 30 + i
        xv = (x - 128) / 6.3
        y = int(128 - xv * 0.9)
        for oy in range(-3, 4):
            blend(x, y + oy, (240, 120, 40), 1.0 if abs(oy) < 3 else 0.4)
    png(path, img)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resources/mdnviz.png")
