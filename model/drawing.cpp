#include "drawing.h"

#include <cmath>
#include <stdexcept>

namespace mdn {

namespace {

void checkDrawable(const Dataset &data, const Brush &brush)
{
    if (!data.oneDimensional())
        throw std::invalid_argument("drawing needs data of one input and one target");
    if (!std::isfinite(brush.cx) || !std::isfinite(brush.cy) || !(brush.rx > 0.0) ||
        !(brush.ry > 0.0) || !std::isfinite(brush.rx) || !std::isfinite(brush.ry))
        throw std::invalid_argument("the brush needs a finite centre and positive, finite radii");
}

} // namespace

void sprayPoints(Dataset &data, const Brush &brush, int count, Rng &rng)
{
    checkDrawable(data, brush);
    for (int i = 0; i < count; ++i) {
        const double x = brush.cx + 0.5 * brush.rx * rng.normal();
        const double y = brush.cy + 0.5 * brush.ry * rng.normal();
        data.addPoint(&x, &y);
    }
}

std::size_t erasePoints(Dataset &data, const Brush &brush)
{
    checkDrawable(data, brush);
    std::size_t kept = 0;
    const std::size_t n = data.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double dx = (data.x[i] - brush.cx) / brush.rx;
        const double dy = (data.y[i] - brush.cy) / brush.ry;
        if (dx * dx + dy * dy <= 1.0)
            continue;
        data.x[kept] = data.x[i];
        data.y[kept] = data.y[i];
        ++kept;
    }
    data.x.resize(kept);
    data.y.resize(kept);
    return n - kept;
}

} // namespace mdn
