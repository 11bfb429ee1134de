#pragma once
// A loss curve of bounded size: every epoch while the run is short, then every second, fourth,
// eighth... epoch as it grows, so that a run of any length keeps a few thousand points.

#include <cstddef>
#include <vector>

namespace mdn {

class LossHistory {
public:
    struct Point {
        long epoch = 0;
        double value = 0.0;
    };

    // capacity: the most points kept (at least 2); reaching it doubles the stride and drops
    // every point whose epoch is not a multiple of the new stride.
    explicit LossHistory(std::size_t capacity = 8192);

    // Records `value` at `epoch`. An epoch at or before the last one recorded (training rolled
    // back) first drops the points from that epoch on, so the curve never holds undone epochs.
    void add(long epoch, double value);

    // The kept points, oldest first, ending with the latest epoch recorded even when the stride
    // would skip it.
    std::vector<Point> points() const;
    // The value kept for `epoch`, if it is kept (on the stride, or the latest).
    bool at(long epoch, double &value) const;
    bool operator==(const LossHistory &o) const;
    long stride() const { return m_stride; }
    std::size_t capacity() const { return m_capacity; }
    bool empty() const { return m_kept.empty() && !m_hasLatest; }

private:
    void truncateFrom(long epoch);

    std::size_t m_capacity;
    long m_stride = 1;
    std::vector<Point> m_kept; // epochs that are multiples of m_stride
    Point m_latest;
    bool m_hasLatest = false;
};

} // namespace mdn
