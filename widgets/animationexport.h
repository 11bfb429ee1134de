#pragma once
// The training animation: the Data & fits chart at each recorded frame of a run, as an animated
// GIF that a person can put in a post or a slide.

#include "datachart.h"
#include "dataset.h"
#include "snapshot.h"

#include <QSize>
#include <QString>

#include <vector>

namespace mdnviz {

constexpr int kDefaultAnimationFrames = 60;
constexpr int kDefaultAnimationFps = 10;
constexpr int kMaxAnimationFps = 50; // GIF delays are hundredths of a second; viewers slow less than 2
constexpr int kMaxAnimationFrames = 1000;
// Frames are this size unless asked otherwise.
constexpr QSize kDefaultAnimationSize{800, 500};
// The size bound of an animation at kDefaultAnimationSize, per frame (a raw frame of one byte a
// pixel is 400 KB): after the first frame only the changed pixels are stored, and a frame of the
// Data & fits chart takes 25-40 KB, so the default 60 frames stay under 6 MB.
constexpr qint64 kMaxAnimationFrameBytes = 100 * 1024;

// Draws `frames` (in order) in a Data & fits chart of its own, with `data` and `overlays` and the
// epoch in its title, and writes them to `path` as a looping GIF at `fps`, atomically. On failure
// returns false with *error set to "path: reason".
bool exportTrainingAnimation(const mdn::Dataset &data, const DataChart::Overlays &overlays,
                             const std::vector<mdn::Snapshot> &frames, const QString &path,
                             QSize size, int fps, QString *error = nullptr);

} // namespace mdnviz
