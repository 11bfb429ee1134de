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

    // The whole state as plain data, for session files: a history rebuilt from it (the checked
    // constructor below) records the next epochs exactly as this one would.
    struct Saved {
        std::size_t capacity = 8192;
        long stride = 1;
        std::vector<Point> kept; // ascending epochs, multiples of stride
        bool hasLatest = false;
        Point latest;
    };
    // Capacities above this are refused when rebuilding (the capacity is reserved up front).
    static constexpr std::size_t kMaxCapacity = std::size_t(1) << 24;
    Saved saved() const;
    // Throws std::invalid_argument, with the reason, when `saved` is not a state add() can reach:
    // a capacity outside [2, kMaxCapacity], a stride that is not a power of two, more points than
    // the capacity, epochs that are negative, off the stride or not ascending, a latest epoch
    // before the last kept one, or a non-finite value.
    explicit LossHistory(const Saved &saved);

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
