#pragma once
// Bishop's (1994) two-link robot arm: the kinematics of its end effector,
// and the true density of its inverse problem when the observed position is noisy. Plain C++.
//
// Links L1 = 0.8 and L2 = 0.2; joint angles theta1 in [0.3, 1.2] and theta2 in [pi/2, 3pi/2];
// the end effector is at
//   x1 = L1 cos(theta1) - L2 cos(theta1 + theta2),  x2 = L1 sin(theta1) - L2 sin(theta1 + theta2)
// (theta2 = pi is the arm stretched out). The forward problem (theta -> x) has one answer; the
// inverse (x -> theta) two for most reachable points: "elbow up" and "elbow down".

#include "dataset.h"

#include <Eigen/Core>

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


// The inverse problem with a noisy sensor, as the robot-arm generator draws it: theta uniform over
// the joint box, the observed position x = endEffector(theta) + N(0, sd^2 I). Its true density is
//   p(theta | x) = N(x; f(theta), sd^2 I) / Z(x),  Z(x) = integral over the box of N(x; f(theta), sd^2 I)
// (the uniform prior cancels), and 0 outside the box. Z is integrated numerically (Simpson's rule
// on a grid of the box whose steps follow sd, only where the integrand is within e^-30 of its
// largest value), log Z to within 1e-4 and the mean NLL of a dataset to within 1e-6 nats.
// Tens of microseconds a point: 10,000 points took 0.4 to 1 s for sd 0.005 to 0.2 on a shared
// two-core machine (about 2 s with it fully loaded). sd must be positive and finite
// (std::invalid_argument otherwise): without noise the density is a pair of spikes.

// log Z(x): finite for any finite x (far out of reach it is very negative, not -inf).
double logEvidence(double sd, const Point &x);
// p(theta | x) at each of `thetas` (per square radian).
std::vector<double> conditionalDensity(double sd, const Point &x, const std::vector<Angles> &thetas);

// Mean NLL (nats per point) of the arm data under the true densities, the floor under any
// model's held-out NLL: for the inverse problem (inputs x1, x2; targets theta1, theta2)
// -log p(theta | x) as above; for the forward one (inputs theta1, theta2; targets x1, x2)
// -log N(x; f(theta), sd^2 I) = log(2 pi sd^2) + |x - f(theta)|^2 / (2 sd^2), from the data's own
// residuals. +inf when an inverse point's angles lie outside the joint box. NaN for no data, or
// when *stop turns true (checked every 256 points). Throws std::invalid_argument when sd is not
// positive and finite or the data are not two inputs and two targets.
double inverseBayesNll(double sd, const Dataset &data, const std::atomic<bool> *stop = nullptr);
double forwardBayesNll(double sd, const Dataset &data, const std::atomic<bool> *stop = nullptr);

// How far the arm ends from where it was sent: the root mean square distance between each
// point's inputs (the desired position x1, x2 of the inverse problem) and the end effector at the
// point's column of `predictedAngles` (2 x data.size(), theta1 and theta2, as Predictor returns
// them). Throws std::invalid_argument for data that are not two inputs and two targets, no data,
// or a matrix of another shape.
double positionRmse(const Dataset &data, const Eigen::MatrixXd &predictedAngles);

} // namespace mdn::arm
