#pragma once
// Bishop's (1994) two-link robot arm: the kinematics of its end effector, the region it reaches,
// and the true density of its inverse problem when the observed position is noisy. Plain C++.
//
// Links L1 = 0.8 and L2 = 0.2; joint angles theta1 in [0.3, 1.2] and theta2 in [pi/2, 3pi/2];
// the end effector is at
//   x1 = L1 cos(theta1) - L2 cos(theta1 + theta2),  x2 = L1 sin(theta1) - L2 sin(theta1 + theta2)
// (theta2 = pi is the arm stretched out). The forward problem (theta -> x) has one answer; the
// inverse (x -> theta) two for most reachable points: "elbow up" and "elbow down".

#include <array>
#include <vector>

namespace mdn::arm {

constexpr double kL1 = 0.8;
constexpr double kL2 = 0.2;
constexpr double kTheta1Lo = 0.3, kTheta1Hi = 1.2;
constexpr double kPi = 3.14159265358979323846;
constexpr double kTheta2Lo = kPi / 2.0, kTheta2Hi = 3.0 * kPi / 2.0;

struct Point {
    double x = 0.0, y = 0.0;
};
struct Angles {
    double theta1 = 0.0, theta2 = 0.0;
};

// The end effector's position.
Point endEffector(const Angles &a);
// The elbow (the joint between the links).
Point elbow(const Angles &a);

// Joint angles inside the joint box.
bool inJointBox(const Angles &a);

// Every joint-angle pair (at most two, inside the joint box) that puts the end effector at p:
// none when p is out of reach. The pair with theta2 < pi first.
std::vector<Angles> inverse(const Point &p);

// The outline of the region the end effector reaches (theta over the joint box), as a closed
// polygon of about `perSide` * 4 vertices: the images of the box's four edges, in order.
std::vector<Point> reachOutline(int perSide = 64);

} // namespace mdn::arm
