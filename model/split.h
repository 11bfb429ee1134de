#pragma once
// Holding out part of a dataset for validation: a deterministic random split per seed.

#include "dataset.h"

#include <cstdint>
#include <vector>

namespace mdn {

// Indices of the two parts, each in ascending order; together they are 0 .. n-1, each once.
struct SplitIndices {
    std::vector<std::size_t> train, validation;
};

// Puts round(n * validationPercent / 100) observations, drawn without replacement with `seed`,
// into the validation part (at most n - 1: the training part is never empty when n > 0).
// validationPercent is clamped to [0, 100]. The draw uses its own random stream derived from
// the seed, so it does not depend on (or disturb) the stream that generated the data.
SplitIndices splitIndices(std::size_t n, double validationPercent, std::uint64_t seed);

// The observations of `d` at `indices`, in that order; the name is kept.
Dataset subset(const Dataset &d, const std::vector<std::size_t> &indices);

} // namespace mdn
