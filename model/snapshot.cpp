#include "snapshot.h"

#include <algorithm>

namespace mdn {

void fillSnapshot(Snapshot &out, const Trainer *mse, const Trainer *mdn, const Dataset &data,
                  const SnapshotRequest &request)
{
    out.gridX.clear();
    out.mseCurve.clear();
    out.sampleX.clear();
    out.sampleY.clear();
    out.mixture = Mixture();
    if (data.empty() || request.gridPoints < 2)
        return;
    const auto [lo, hi] = std::minmax_element(data.x.begin(), data.x.end());
    out.gridX.resize(std::size_t(request.gridPoints));
    for (int i = 0; i < request.gridPoints; ++i)
        out.gridX[std::size_t(i)] = *lo + (*hi - *lo) * double(i) / double(request.gridPoints - 1);
    if (mse)
        out.mseCurve = mse->predict(out.gridX);
    if (mdn) {
        out.mixture = mdn->mixture(out.gridX, request.piTemperature, request.sigmaTemperature);
        const auto samples = mdn->sample(out.gridX, request.samplesPerX, request.sampleSeed,
                                         request.piTemperature, request.sigmaTemperature);
        out.sampleX.reserve(samples.size());
        out.sampleY.reserve(samples.size());
        for (const auto &[x, y] : samples) {
            out.sampleX.push_back(x);
            out.sampleY.push_back(y);
        }
    }
}

} // namespace mdn
