#include "trainingrecorder.h"

#include <algorithm>
#include <cmath>

namespace mdnviz {

namespace {

long plannedEpoch(int i, long planned, int capacity)
{
    return std::lround(double(i) * double(planned) / double(capacity - 1));
}

} // namespace

TrainingRecorder::TrainingRecorder(int capacity, long plannedEpochs)
    : m_capacity(std::max(capacity, 2)), m_planned(std::max(plannedEpochs, 0L))
{
}

bool TrainingRecorder::wants(long epoch) const
{
    if (m_planned > 0)
        return m_nextPlanned < m_capacity && epoch >= plannedEpoch(m_nextPlanned, m_planned, m_capacity);
    return epoch >= m_nextEpoch;
}

void TrainingRecorder::record(const mdn::Snapshot &s)
{
    if (m_planned > 0) {
        if (!wants(s.epoch))
            return;
        m_frames.push_back(withoutLosses(s));
        // Epochs skipped over (a short run) are not waited for.
        while (m_nextPlanned < m_capacity &&
               plannedEpoch(m_nextPlanned, m_planned, m_capacity) <= s.epoch)
            ++m_nextPlanned;
        return;
    }
    if (!wants(s.epoch)) {
        m_newest.assign(1, withoutLosses(s));
        return;
    }
    m_newest.clear();
    m_frames.push_back(withoutLosses(s));
    if (int(m_frames.size()) > m_capacity) {
        std::vector<mdn::Snapshot> kept;
        kept.reserve(m_frames.size() / 2 + 1);
        for (std::size_t i = 0; i < m_frames.size(); i += 2)
            kept.push_back(std::move(m_frames[i]));
        m_frames = std::move(kept);
        m_stride *= 2;
    }
    m_nextEpoch = (s.epoch / m_stride + 1) * m_stride;
}

void TrainingRecorder::clear()
{
    m_frames.clear();
    m_newest.clear();
    m_stride = 1;
    m_nextEpoch = 0;
    m_nextPlanned = 0;
}

bool TrainingRecorder::newestIsAhead() const
{
    return !m_newest.empty() && (m_frames.empty() || m_newest.front().epoch > m_frames.back().epoch);
}

std::vector<mdn::Snapshot> TrainingRecorder::frames() const
{
    std::vector<mdn::Snapshot> out = m_frames;
    if (newestIsAhead()) {
        if (out.size() >= std::size_t(m_capacity))
            out.pop_back();
        out.push_back(m_newest.front());
    }
    return out;
}

std::size_t TrainingRecorder::frameCount() const
{
    return std::min(m_frames.size() + (newestIsAhead() ? 1 : 0), std::size_t(m_capacity));
}

mdn::Snapshot TrainingRecorder::withoutLosses(const mdn::Snapshot &s)
{
    // Every field but the losses, which an animation of the fits does not draw.
    mdn::Snapshot copy = s;
    copy.losses = {};
    return copy;
}

std::vector<mdn::Snapshot> combineModelFrames(std::vector<mdn::Snapshot> mdnFrames,
                                              const std::vector<mdn::Snapshot> &mseFrames)
{
    if (mdnFrames.empty())
        return mseFrames;
    for (mdn::Snapshot &f : mdnFrames) {
        const auto mse = std::find_if(mseFrames.begin(), mseFrames.end(),
                                      [&f](const mdn::Snapshot &m) { return m.epoch == f.epoch; });
        if (mse != mseFrames.end()) {
            f.mseCurve = mse->mseCurve;
            f.mseFaults = mse->mseFaults;
        }
    }
    return mdnFrames;
}

} // namespace mdnviz
