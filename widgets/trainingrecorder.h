#pragma once
// Copies of a run's snapshots at evenly spaced epochs, kept while it trains, so that an animation
// of the run can be drawn afterwards without training again. Plain C++: the headless trainer
// records from its training threads, the window from the snapshots it is sent.

#include "snapshot.h"

#include <vector>

namespace mdnviz {

class TrainingRecorder {
public:
    // Keeps at most `capacity` (>= 2) frames. With `plannedEpochs` > 0 the frames are the epochs
    // round(i * planned / (capacity - 1)), i = 0 .. capacity - 1 (fewer for a run shorter than
    // capacity - 1 epochs). Without a plan (a window trains as long as the user likes), a frame
    // is kept at most every stride epochs, starting at one; when more than `capacity` are kept,
    // every other one is dropped and the stride doubles, so they stay evenly spread and bounded.
    // A frame of the default snapshot request takes about 0.5 MB (mostly the density grid).
    explicit TrainingRecorder(int capacity, long plannedEpochs = 0);

    // Whether a snapshot of `epoch` would be kept (to skip making one that would not).
    bool wants(long epoch) const;
    // Keeps a copy of `s` (without its losses) if wants(s.epoch); remembers it as the newest in
    // any case, without a plan.
    void record(const mdn::Snapshot &s);
    void clear();

    // The frames in epoch order: those kept and, without a plan, the newest snapshot if it came
    // after them; at most capacity().
    std::vector<mdn::Snapshot> frames() const;
    std::size_t frameCount() const;
    int capacity() const { return m_capacity; }
    long stride() const { return m_stride; }

private:
    static mdn::Snapshot withoutLosses(const mdn::Snapshot &s);
    bool newestIsAhead() const;

    int m_capacity;
    long m_planned;
    long m_stride = 1;
    long m_nextEpoch = 0;
    int m_nextPlanned = 0; // index i of the next planned epoch
    std::vector<mdn::Snapshot> m_frames;
    std::vector<mdn::Snapshot> m_newest; // empty or one
};

// The headless trainer trains the two models on two threads, each recording its own part at the
// same planned epochs: the MDN's frames completed with the MSE net's curve of the same epoch.
std::vector<mdn::Snapshot> combineModelFrames(std::vector<mdn::Snapshot> mdnFrames,
                                              const std::vector<mdn::Snapshot> &mseFrames);

} // namespace mdnviz
