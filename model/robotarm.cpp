#include "robotarm.h"

#include <algorithm>
#include <cmath>

namespace mdn::arm {

Point endEffector(const Angles &a)
{
    const double s = a.theta1 + a.theta2;
    return {kL1 * std::cos(a.theta1) - kL2 * std::cos(s), kL1 * std::sin(a.theta1) - kL2 * std::sin(s)};
}

Point elbow(const Angles &a) { return {kL1 * std::cos(a.theta1), kL1 * std::sin(a.theta1)}; }

bool inJointBox(const Angles &a)
{
    return a.theta1 >= kTheta1Lo && a.theta1 <= kTheta1Hi && a.theta2 >= kTheta2Lo && a.theta2 <= kTheta2Hi;
}

std::vector<Angles> inverse(const Point &p)
{
    // |p|^2 = L1^2 + L2^2 - 2 L1 L2 cos(theta2): theta2 = pi +- acos(...) fixes the elbow.
    const double r2 = p.x * p.x + p.y * p.y;
    const double c = (kL1 * kL1 + kL2 * kL2 - r2) / (2.0 * kL1 * kL2);
    std::vector<Angles> out;
    if (!(c >= -1.0 - 1e-12 && c <= 1.0 + 1e-12))
        return out;
    const double alpha = std::acos(std::clamp(c, -1.0, 1.0)); // in [0, pi]
    for (const double theta2 : {alpha, 2.0 * kPi - alpha}) {
        // p = A (cos t1, sin t1) + B (sin t1, -cos t1) rotated: solve for theta1.
        const double a = kL1 - kL2 * std::cos(theta2);
        const double b = kL2 * std::sin(theta2);
        // x = a cos t1 + b sin t1, y = a sin t1 - b cos t1  =>  t1 = atan2(y, x) + atan2(b, a)
        double theta1 = std::atan2(p.y, p.x) + std::atan2(b, a);
        while (theta1 > kPi)
            theta1 -= 2.0 * kPi;
        while (theta1 <= -kPi)
            theta1 += 2.0 * kPi;
        const Angles s{theta1, theta2};
        if (inJointBox(s) && !(out.size() == 1 && std::abs(out[0].theta2 - theta2) < 1e-12))
            out.push_back(s);
    }
    return out;
}

std::vector<Point> reachOutline(int perSide)
{
    perSide = std::max(perSide, 2);
    std::vector<Point> out;
    out.reserve(std::size_t(perSide) * 4);
    const auto edge = [&](Angles from, Angles to) {
        for (int i = 0; i < perSide; ++i) {
            const double t = double(i) / double(perSide);
            out.push_back(endEffector({from.theta1 + t * (to.theta1 - from.theta1),
                                       from.theta2 + t * (to.theta2 - from.theta2)}));
        }
    };
    edge({kTheta1Lo, kTheta2Lo}, {kTheta1Hi, kTheta2Lo});
    edge({kTheta1Hi, kTheta2Lo}, {kTheta1Hi, kTheta2Hi});
    edge({kTheta1Hi, kTheta2Hi}, {kTheta1Lo, kTheta2Hi});
    edge({kTheta1Lo, kTheta2Hi}, {kTheta1Lo, kTheta2Lo});
    return out;
}

} // namespace mdn::arm
