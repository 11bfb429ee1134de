#include "losshistory.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mdn {

LossHistory::LossHistory(std::size_t capacity) : m_capacity(std::max<std::size_t>(capacity, 2))
{
    m_kept.reserve(m_capacity);
}

LossHistory::LossHistory(const Saved &saved)
    : m_capacity(saved.capacity), m_stride(saved.stride), m_latest(saved.latest), m_hasLatest(saved.hasLatest)
{
    const auto refuse = [](const std::string &why) { throw std::invalid_argument("loss overview: " + why); };
    if (saved.capacity < 2 || saved.capacity > kMaxCapacity)
        refuse("capacity " + std::to_string(saved.capacity) + " is outside 2 .. " + std::to_string(kMaxCapacity));
    if (saved.stride < 1 || (saved.stride & (saved.stride - 1)) != 0)
        refuse("stride " + std::to_string(saved.stride) + " is not a power of two");
    if (saved.kept.size() > saved.capacity)
        refuse(std::to_string(saved.kept.size()) + " points exceed the capacity of " +
               std::to_string(saved.capacity));
    long previous = -1;
    for (const Point &p : saved.kept) {
        if (p.epoch < 0 || p.epoch <= previous || p.epoch % saved.stride != 0)
            refuse("epoch " + std::to_string(p.epoch) + " is negative, out of order or off the stride of " +
                   std::to_string(saved.stride));
        if (!std::isfinite(p.value))
            refuse("the loss at epoch " + std::to_string(p.epoch) + " is not a finite number");
        previous = p.epoch;
    }
    if (saved.hasLatest && (saved.latest.epoch < std::max(previous, 0L) || !std::isfinite(saved.latest.value)))
        refuse("the latest epoch " + std::to_string(saved.latest.epoch) +
               " comes before the kept ones or its loss is not finite");
    m_kept.reserve(m_capacity);
    m_kept = saved.kept;
}

LossHistory::Saved LossHistory::saved() const
{
    return {m_capacity, m_stride, m_kept, m_hasLatest, m_latest};
}

void LossHistory::truncateFrom(long epoch)
{
    while (!m_kept.empty() && m_kept.back().epoch >= epoch)
        m_kept.pop_back();
    if (m_hasLatest && m_latest.epoch >= epoch)
        m_hasLatest = false;
}

void LossHistory::add(long epoch, double value)
{
    if (m_hasLatest && epoch <= m_latest.epoch)
        truncateFrom(epoch);
    m_latest = {epoch, value};
    m_hasLatest = true;
    if (epoch % m_stride != 0)
        return;
    if (m_kept.size() == m_capacity) {
        // Halve the resolution: keep the multiples of twice the stride, in place.
        m_stride *= 2;
        const long stride = m_stride;
        m_kept.erase(std::remove_if(m_kept.begin(), m_kept.end(),
                                    [stride](const Point &p) { return p.epoch % stride != 0; }),
                     m_kept.end());
        if (epoch % m_stride != 0)
            return;
    }
    m_kept.push_back(m_latest);
}

std::vector<LossHistory::Point> LossHistory::points() const
{
    std::vector<Point> out = m_kept;
    if (m_hasLatest && (out.empty() || out.back().epoch != m_latest.epoch))
        out.push_back(m_latest);
    return out;
}

bool LossHistory::at(long epoch, double &value) const
{
    if (m_hasLatest && m_latest.epoch == epoch) {
        value = m_latest.value;
        return true;
    }
    const auto it = std::lower_bound(m_kept.begin(), m_kept.end(), epoch,
                                     [](const Point &p, long e) { return p.epoch < e; });
    if (it == m_kept.end() || it->epoch != epoch)
        return false;
    value = it->value;
    return true;
}

bool LossHistory::operator==(const LossHistory &o) const
{
    const auto same = [](const std::vector<Point> &a, const std::vector<Point> &b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                          [](const Point &x, const Point &y) { return x.epoch == y.epoch && x.value == y.value; });
    };
    return m_stride == o.m_stride && same(points(), o.points());
}

} // namespace mdn
