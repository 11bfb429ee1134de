#pragma once
// Data drawn by hand: a brush that sprays points around the cursor and an eraser that removes
// the points under it. One input and one target only (the plane the data chart shows).

#include "dataset.h"
#include "rng.h"

#include <cstddef>

namespace mdn {

// The brush at (cx, cy) with radii rx (along x) and ry (along y), in data units: an ellipse in
// the data, a circle on a chart whose axes are scaled alike.
struct Brush {
    double cx = 0.0, cy = 0.0;
    double rx = 1.0, ry = 1.0;
};

// Appends `count` points around the brush's centre: x ~ N(cx, (rx/2)^2), y ~ N(cy, (ry/2)^2), so
// that about 86% fall inside the brush. Throws std::invalid_argument for data of more than one
// input or target, or a brush that is not finite with positive radii.
void sprayPoints(Dataset &data, const Brush &brush, int count, Rng &rng);

// Removes the points inside the brush's ellipse, (dx/rx)^2 + (dy/ry)^2 <= 1, keeping the order
// of the others; returns how many went. Throws as sprayPoints.
std::size_t erasePoints(Dataset &data, const Brush &brush);

} // namespace mdn
