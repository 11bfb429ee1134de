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

    // Both parts in ascending order by one sweep over a mask: linear, where sorting the parts
    // took a second for five million points (an interrupt waits for it).
    std::vector<bool> held_out(n, false);
    for (std::size_t i = 0; i < held; ++i)
        held_out[order[i]] = true;
    s.validation.reserve(held);
    s.train.reserve(n - held);
    for (std::size_t i = 0; i < n; ++i)
        (held_out[i] ? s.validation : s.train).push_back(i);
    return s;
}

Dataset subset(const Dataset &d, const std::vector<std::size_t> &indices)
{
    Dataset out;
    out.name = d.name;
    out.inputDims = d.inputDims;
    out.targetDims = d.targetDims;
    out.inputNames = d.inputNames;
    out.targetNames = d.targetNames;
    const std::size_t din = std::size_t(d.inputDims), dout = std::size_t(d.targetDims);
    out.x.resize(indices.size() * din);
    out.y.resize(indices.size() * dout);
    if (din == 1 && dout == 1) {
        for (std::size_t k = 0; k < indices.size(); ++k) {
            out.x[k] = d.x[indices[k]];
            out.y[k] = d.y[indices[k]];
        }
        return out;
    }
    for (std::size_t k = 0; k < indices.size(); ++k) {
        std::copy_n(d.x.begin() + std::ptrdiff_t(indices[k] * din), din, out.x.begin() + std::ptrdiff_t(k * din));
        std::copy_n(d.y.begin() + std::ptrdiff_t(indices[k] * dout), dout, out.y.begin() + std::ptrdiff_t(k * dout));
    }
    return out;
}

} // namespace mdn
