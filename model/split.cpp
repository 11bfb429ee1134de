#include "split.h"

#include "rng.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace mdn {

namespace {

// Mixed into the seed so that the split's stream differs from the generator's Rng(seed).
constexpr std::uint64_t kSplitStream = 0x9e3779b97f4a7c15ULL;

} // namespace

SplitIndices splitIndices(std::size_t n, double validationPercent, std::uint64_t seed)
{
    SplitIndices s;
    if (n == 0)
        return s;
    const double p = std::isfinite(validationPercent) ? std::clamp(validationPercent, 0.0, 100.0) : 0.0;
    const std::size_t held = std::min<std::size_t>(std::size_t(std::llround(double(n) * p / 100.0)), n - 1);

    // Partial Fisher-Yates: after step i, order[0..i] is a uniform draw without replacement.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    Rng rng(seed ^ kSplitStream);
    for (std::size_t i = 0; i < held; ++i)
        std::swap(order[i], order[i + std::size_t(rng.below(n - i))]);

    s.validation.assign(order.begin(), order.begin() + std::ptrdiff_t(held));
    s.train.assign(order.begin() + std::ptrdiff_t(held), order.end());
    std::sort(s.validation.begin(), s.validation.end());
    std::sort(s.train.begin(), s.train.end());
    return s;
}

Dataset subset(const Dataset &d, const std::vector<std::size_t> &indices)
{
    Dataset out;
    out.name = d.name;
    out.x.reserve(indices.size());
    out.y.reserve(indices.size());
    for (std::size_t i : indices) {
        out.x.push_back(d.x[i]);
        out.y.push_back(d.y[i]);
    }
    return out;
}

} // namespace mdn
