// Bishop's robot arm: its kinematics, its generators, the true density of its inverse problem and
// the floor under any model's NLL on it.

#include "dataset.h"
#include "fuzzy.h"
#include "rng.h"
#include "robotarm.h"
#include "session.h"
#include "settings.h"

#include <QtTest/QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mdn;

namespace {

Dataset armData(Generator g, std::size_t points, double noise, std::uint64_t seed)
{
    GeneratorSpec spec;
    spec.generator = g;
    spec.points = points;
    spec.noise = noise;
    spec.seed = seed;
    return generate(spec);
}

// p(theta | x) integrated over the joint box by the midpoint rule on a grid much finer than the
// gaussian (an integration independent of the one behind the normaliser).
double integratedDensity(double sd, const arm::Point &x)
{
    const int n1 = 900, n2 = 1000;
    const double h1 = (arm::kTheta1Hi - arm::kTheta1Lo) / n1, h2 = (arm::kTheta2Hi - arm::kTheta2Lo) / n2;
    std::vector<arm::Angles> thetas;
    thetas.reserve(std::size_t(n1) * std::size_t(n2));
    for (int i = 0; i < n1; ++i)
        for (int j = 0; j < n2; ++j)
            thetas.push_back({arm::kTheta1Lo + (i + 0.5) * h1, arm::kTheta2Lo + (j + 0.5) * h2});
    double sum = 0.0;
    for (double p : arm::conditionalDensity(sd, x, thetas))
        sum += p;
    return sum * h1 * h2;
}

} // namespace

class TestRobotArm : public QObject {
    Q_OBJECT
private slots:
    void forwardKinematicsOfHandComputedPoints_data();
    void forwardKinematicsOfHandComputedPoints();
    void inverseFindsBothElbowsOfAHandComputedPoint();
    void inverseRoundTripsOverTheJointBox();
    void inverseOfUnreachablePointsIsEmpty_data();
    void inverseOfUnreachablePointsIsEmpty();
    void generatorsAreSeededAndShapedAsDocumented_data();
    void generatorsAreSeededAndShapedAsDocumented();
    void generatorNoiseHasTheStatedSize();
    void settingsTakeTheArmWithoutNoise();
    void trueDensityIntegratesToOne_data();
    void trueDensityIntegratesToOne();
    void densityIsZeroOutsideTheJointBoxAndNeedsNoise();
    void inverseBayesFloorMatchesMonteCarloNormalisers();
    void forwardBayesFloorIsTheGaussianNll();
    void noiselessFloorIsMinusInfinity();
    void sessionComputesTheArmFloor();
    void oneDimensionalDensityIsEmptyForTheArm();
    void positionRmseOfHandComputedPredictions();
};

void TestRobotArm::forwardKinematicsOfHandComputedPoints_data()
{
    QTest::addColumn<double>("theta1");
    QTest::addColumn<double>("theta2");
    QTest::addColumn<double>("x1");
    QTest::addColumn<double>("x2");
    // Stretched out (theta2 = pi): both links along theta1, reach L1 + L2 = 1.
    QTest::newRow("stretched at pi/4") << M_PI / 4 << M_PI << std::cos(M_PI / 4) << std::sin(M_PI / 4);
    // theta1 + theta2 = 5pi/6: x = (0.8 / 2 + 0.2 sqrt(3) / 2, 0.8 sqrt(3) / 2 - 0.2 / 2).
    QTest::newRow("pi/3, pi/2") << M_PI / 3 << M_PI / 2 << 0.4 + 0.1 * std::sqrt(3.0)
                                << 0.4 * std::sqrt(3.0) - 0.1;
    // cos(0.5 + 3pi/2) = sin 0.5, sin(0.5 + 3pi/2) = -cos 0.5.
    QTest::newRow("0.5, 3pi/2") << 0.5 << 1.5 * M_PI << 0.8 * std::cos(0.5) - 0.2 * std::sin(0.5)
                                << 0.8 * std::sin(0.5) + 0.2 * std::cos(0.5);
}

void TestRobotArm::forwardKinematicsOfHandComputedPoints()
{
    QFETCH(double, theta1);
    QFETCH(double, theta2);
    QFETCH(double, x1);
    QFETCH(double, x2);
    const arm::Point p = arm::endEffector({theta1, theta2});
    MDN_COMPARE_NEAR(p.x, x1, 1e-12, 0.0);
    MDN_COMPARE_NEAR(p.y, x2, 1e-12, 0.0);
    const arm::Point e = arm::elbow({theta1, theta2});
    MDN_COMPARE_NEAR(e.x, 0.8 * std::cos(theta1), 1e-12, 0.0);
    MDN_COMPARE_NEAR(std::hypot(p.x - e.x, p.y - e.y), arm::kL2, 1e-12, 0.0);
}

void TestRobotArm::inverseFindsBothElbowsOfAHandComputedPoint()
{
    // |x|^2 = 0.68 = L1^2 + L2^2: the elbow is square, theta2 = pi/2 or 3pi/2. The second link
    // then turns the hand by -atan(1/4) or +atan(1/4) from the first, so the other theta1 is
    // pi/3 - 2 atan(1/4).
    const arm::Point x{0.4 + 0.1 * std::sqrt(3.0), 0.4 * std::sqrt(3.0) - 0.1};
    const std::vector<arm::Angles> s = arm::inverse(x);
    QCOMPARE(s.size(), std::size_t(2));
    MDN_COMPARE_NEAR(s[0].theta1, M_PI / 3, 1e-12, 0.0);
    MDN_COMPARE_NEAR(s[0].theta2, M_PI / 2, 1e-12, 0.0);
    MDN_COMPARE_NEAR(s[1].theta1, M_PI / 3 - 2.0 * std::atan(0.25), 1e-12, 0.0);
    MDN_COMPARE_NEAR(s[1].theta2, 1.5 * M_PI, 1e-12, 0.0);
}

void TestRobotArm::inverseRoundTripsOverTheJointBox()
{
    Rng rng(7);
    for (int k = 0; k < 2000; ++k) {
        const arm::Angles t{rng.uniform(arm::kTheta1Lo, arm::kTheta1Hi), rng.uniform(arm::kTheta2Lo, arm::kTheta2Hi)};
        const arm::Point x = arm::endEffector(t);
        const std::vector<arm::Angles> s = arm::inverse(x);
        QVERIFY(!s.empty() && s.size() <= 2);
        bool found = false;
        for (const arm::Angles &a : s) {
            QVERIFY(arm::inJointBox(a));
            const arm::Point back = arm::endEffector(a);
            MDN_COMPARE_NEAR(std::hypot(back.x - x.x, back.y - x.y), 0.0, 1e-9, 0.0);
            found = found || (std::abs(a.theta1 - t.theta1) < 1e-7 && std::abs(a.theta2 - t.theta2) < 1e-7);
        }
        QVERIFY2(found, qPrintable(QStringLiteral("theta (%1, %2) not among the solutions").arg(t.theta1).arg(t.theta2)));
    }
}

void TestRobotArm::inverseOfUnreachablePointsIsEmpty_data()
{
    QTest::addColumn<double>("x1");
    QTest::addColumn<double>("x2");
    QTest::newRow("inside the inner radius") << 0.5 << 0.5;
    QTest::newRow("beyond the reach") << 0.8 << 0.8;
    QTest::newRow("at the right radius, below theta1's range") << 0.9 << -0.3;
    QTest::newRow("the origin") << 0.0 << 0.0;
}

void TestRobotArm::inverseOfUnreachablePointsIsEmpty()
{
    QFETCH(double, x1);
    QFETCH(double, x2);
    QVERIFY(arm::inverse({x1, x2}).empty());
}

void TestRobotArm::generatorsAreSeededAndShapedAsDocumented_data()
{
    QTest::addColumn<int>("generator");
    QTest::newRow("robot-arm") << int(Generator::RobotArm);
    QTest::newRow("robot-arm-forward") << int(Generator::RobotArmForward);
}

void TestRobotArm::generatorsAreSeededAndShapedAsDocumented()
{
    QFETCH(int, generator);
    const Generator g = Generator(generator);
    const bool forward = g == Generator::RobotArmForward;
    QCOMPARE(generatorFromName(generatorName(g)).value(), g);
    QCOMPARE(std::string(generatorName(g)), std::string(forward ? "robot-arm-forward" : "robot-arm"));
    QCOMPARE(defaultNoise(g), 0.0);
    const Dataset d = armData(g, 3000, 0.0, 11);
    QVERIFY(d.shapeValid());
    QVERIFY(fitsGenerator(g, d));
    QCOMPARE(d.size(), std::size_t(3000));
    QCOMPARE(d.inputDims, 2);
    QCOMPARE(d.targetDims, 2);
    const std::vector<std::string> position{"x1", "x2"}, angles{"theta1", "theta2"};
    QCOMPARE(d.inputNames, forward ? angles : position);
    QCOMPARE(d.targetNames, forward ? position : angles);
    QCOMPARE(d.name, std::string(generatorName(g)));
    // Noise-free: the position is the end effector of the angles, exactly; the angles fill the box.
    double lo1 = 10, hi1 = -10, lo2 = 10, hi2 = -10;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const arm::Angles t = forward ? arm::Angles{d.input(i, 0), d.input(i, 1)}
                                      : arm::Angles{d.target(i, 0), d.target(i, 1)};
        const arm::Point x = forward ? arm::Point{d.target(i, 0), d.target(i, 1)}
                                     : arm::Point{d.input(i, 0), d.input(i, 1)};
        QVERIFY(arm::inJointBox(t));
        const arm::Point f = arm::endEffector(t);
        QCOMPARE(x.x, f.x);
        QCOMPARE(x.y, f.y);
        lo1 = std::min(lo1, t.theta1), hi1 = std::max(hi1, t.theta1);
        lo2 = std::min(lo2, t.theta2), hi2 = std::max(hi2, t.theta2);
    }
    QVERIFY(lo1 < 0.31 && hi1 > 1.19);
    QVERIFY(lo2 < M_PI / 2 + 0.01 && hi2 > 1.5 * M_PI - 0.01);
    // Seeded: the same seed gives the same points, another seed others.
    const Dataset again = armData(g, 3000, 0.0, 11), other = armData(g, 3000, 0.0, 12);
    QCOMPARE(again.x, d.x);
    QCOMPARE(again.y, d.y);
    QVERIFY(other.x != d.x);
}

void TestRobotArm::generatorNoiseHasTheStatedSize()
{
    const double sd = 0.05;
    const Dataset inv = armData(Generator::RobotArm, 20000, sd, 3);
    const Dataset fwd = armData(Generator::RobotArmForward, 20000, sd, 3);
    const Dataset exact = armData(Generator::RobotArm, 20000, 0.0, 3);
    // The angles do not depend on the noise or the direction.
    QCOMPARE(inv.y, exact.y);
    QCOMPARE(fwd.x, exact.y);
    double s1 = 0, s2 = 0, mean1 = 0;
    for (std::size_t i = 0; i < inv.size(); ++i) {
        const arm::Point f = arm::endEffector({inv.target(i, 0), inv.target(i, 1)});
        const double e1 = inv.input(i, 0) - f.x, e2 = inv.input(i, 1) - f.y;
        s1 += e1 * e1;
        s2 += e2 * e2;
        mean1 += e1;
        // The forward set observes the same noise on its targets.
        QCOMPARE(fwd.target(i, 0), inv.input(i, 0));
    }
    const double n = double(inv.size());
    // Variance sd^2 per coordinate: the estimate's relative SD is sqrt(2 / n) = 1%.
    MDN_COMPARE_NEAR(s1 / n, sd * sd, 0.0, 0.05);
    MDN_COMPARE_NEAR(s2 / n, sd * sd, 0.0, 0.05);
    MDN_COMPARE_NEAR(mean1 / n, 0.0, 5.0 * sd / std::sqrt(n), 0.0);
}

void TestRobotArm::settingsTakeTheArmWithoutNoise()
{
    Settings s;
    std::string why;
    QVERIFY(settingSpec("generator").set(s, "robot-arm", why));
    QCOMPARE(s.generator, Generator::RobotArm);
    QVERIFY(settingSpec("noise").set(s, "0", why));
    QCOMPARE(s.noise, 0.0);
    QVERIFY(settingSpec("generator").set(s, "robot-arm-forward", why));
    QCOMPARE(s.generator, Generator::RobotArmForward);
    QVERIFY(!settingSpec("generator").set(s, "robot", why));
    QVERIFY(why.find("robot-arm-forward") != std::string::npos);
    const std::vector<std::string> &choices = settingSpec("generator").choices;
    QVERIFY(std::find(choices.begin(), choices.end(), "robot-arm") != choices.end());
}

void TestRobotArm::trueDensityIntegratesToOne_data()
{
    QTest::addColumn<double>("sd");
    QTest::addColumn<double>("theta1");
    QTest::addColumn<double>("theta2");
    QTest::addColumn<double>("offset"); // added to both coordinates of the end effector
    for (const double sd : {0.02, 0.05}) {
        QTest::addRow("sd %g, inside (two elbows)", sd) << sd << 0.75 << 2.3 << 0.0;
        QTest::addRow("sd %g, stretched out (elbows meet)", sd) << sd << 0.75 << M_PI << 0.0;
        QTest::addRow("sd %g, at a corner of the box", sd) << sd << 0.3 << M_PI / 2 << 0.0;
        QTest::addRow("sd %g, just out of reach", sd) << sd << 1.2 << M_PI << 0.03;
    }
}

void TestRobotArm::trueDensityIntegratesToOne()
{
    QFETCH(double, sd);
    QFETCH(double, theta1);
    QFETCH(double, theta2);
    QFETCH(double, offset);
    const arm::Point f = arm::endEffector({theta1, theta2});
    MDN_COMPARE_NEAR(integratedDensity(sd, {f.x + offset, f.y + offset}), 1.0, 2e-3, 0.0);
}

void TestRobotArm::densityIsZeroOutsideTheJointBoxAndNeedsNoise()
{
    const arm::Point x = arm::endEffector({0.75, 2.3});
    const std::vector<double> p = arm::conditionalDensity(0.05, x, {{0.75, 2.3}, {0.29, 2.3}, {0.75, 4.8}});
    QCOMPARE(p.size(), std::size_t(3));
    QVERIFY(p[0] > 0.0);
    QCOMPARE(p[1], 0.0);
    QCOMPARE(p[2], 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, arm::conditionalDensity(0.0, x, {{0.75, 2.3}}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, arm::logEvidence(std::nan(""), x));
    // Far out of reach the normaliser is tiny but its log finite.
    QVERIFY(std::isfinite(arm::logEvidence(0.01, {3.0, -2.0})));
}

void TestRobotArm::inverseBayesFloorMatchesMonteCarloNormalisers()
{
    // The floor is the mean of |x - f(theta)|^2 / (2 sd^2) + log of the integral of
    // exp(-|x - f|^2 / (2 sd^2)) over the box. The integral estimated by Monte Carlo instead:
    // the box's area times the mean of the integrand at uniform angles.
    const double sd = 0.05;
    const Dataset d = armData(Generator::RobotArm, 20, sd, 5);
    Rng rng(99);
    const int samples = 400000;
    std::vector<arm::Point> f(samples);
    for (arm::Point &p : f)
        p = arm::endEffector({rng.uniform(arm::kTheta1Lo, arm::kTheta1Hi), rng.uniform(arm::kTheta2Lo, arm::kTheta2Hi)});
    const double area = (arm::kTheta1Hi - arm::kTheta1Lo) * (arm::kTheta2Hi - arm::kTheta2Lo);
    double mc = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const arm::Point x{d.input(i, 0), d.input(i, 1)};
        double sum = 0.0;
        for (const arm::Point &p : f)
            sum += std::exp(-(std::pow(x.x - p.x, 2) + std::pow(x.y - p.y, 2)) / (2 * sd * sd));
        const arm::Point own = arm::endEffector({d.target(i, 0), d.target(i, 1)});
        const double r2 = std::pow(x.x - own.x, 2) + std::pow(x.y - own.y, 2);
        mc += r2 / (2 * sd * sd) + std::log(area * sum / samples);
    }
    mc /= double(d.size());
    // About 3% of the samples land within the gaussian: each log normaliser is off by about
    // 1 / sqrt(12,000) ~ 0.01, their mean by a fifth of that.
    const double floor = bayesNll(Generator::RobotArm, sd, d);
    MDN_COMPARE_NEAR(floor, mc, 0.01, 0.0);
    QCOMPARE(floor, arm::inverseBayesNll(sd, d));
}

void TestRobotArm::forwardBayesFloorIsTheGaussianNll()
{
    const double sd = 0.03;
    const Dataset d = armData(Generator::RobotArmForward, 20000, sd, 8);
    double byHand = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const arm::Point f = arm::endEffector({d.input(i, 0), d.input(i, 1)});
        const double r2 = std::pow(d.target(i, 0) - f.x, 2) + std::pow(d.target(i, 1) - f.y, 2);
        byHand += std::log(2 * M_PI * sd * sd) + r2 / (2 * sd * sd);
    }
    const double floor = bayesNll(Generator::RobotArmForward, sd, d);
    MDN_COMPARE_NEAR(floor, byHand / double(d.size()), 1e-12, 1e-12);
    // Its expectation: log(2 pi sd^2) + 1 (|e|^2 / sd^2 is chi-squared with two degrees of
    // freedom); the mean of 20,000 has SD 1 / sqrt(20,000) = 0.007.
    MDN_COMPARE_NEAR(floor, std::log(2 * M_PI * sd * sd) + 1.0, 0.035, 0.0);
}

void TestRobotArm::noiselessFloorIsMinusInfinity()
{
    for (const Generator g : {Generator::RobotArm, Generator::RobotArmForward}) {
        const Dataset d = armData(g, 100, 0.0, 1);
        QCOMPARE(bayesNll(g, 0.0, d), -std::numeric_limits<double>::infinity());
        const double noisy = bayesNll(g, 0.02, armData(g, 100, 0.02, 1));
        QVERIFY(std::isfinite(noisy));
        // One-dimensional data do not fit the arm, nor arm data the 1-D generators.
        GeneratorSpec sinus;
        sinus.points = 10;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bayesNll(g, 0.02, generate(sinus)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, bayesNll(Generator::Bishop, 0.1, d));
    }
}

void TestRobotArm::sessionComputesTheArmFloor()
{
    for (const double noise : {0.0, 0.02}) {
        SessionOptions o;
        GeneratorSpec spec;
        spec.generator = Generator::RobotArm;
        spec.points = 1000;
        spec.noise = noise;
        o.generator = spec;
        const auto data = std::make_shared<const Dataset>(generate(spec));
        const Session s(data, o, {});
        QCOMPARE(s.validationData().size(), std::size_t(200));
        if (noise == 0.0)
            QCOMPARE(s.bayesNll(), -std::numeric_limits<double>::infinity());
        else
            QCOMPARE(s.bayesNll(), bayesNll(Generator::RobotArm, noise, s.validationData()));
    }
}

void TestRobotArm::oneDimensionalDensityIsEmptyForTheArm()
{
    QVERIFY(trueConditionalDensity(Generator::RobotArm, 0.02, 0.5, {0.5, 0.7}).empty());
    QVERIFY(trueConditionalDensity(Generator::RobotArmForward, 0.02, 0.5, {0.5, 0.7}).empty());
    const Range r = trueYRange(Generator::RobotArm, 0.02);
    QCOMPARE(r.lo, arm::kTheta1Lo);
    QCOMPARE(r.hi, arm::kTheta1Hi);
    // x1 falls as theta1 grows; at theta1 = 1.2 it is least at theta2 = 3pi/2, where
    // cos(1.2 + 3pi/2) = sin 1.2; at theta1 = 0.3 it is largest with the second link along x1.
    const Range f = trueYRange(Generator::RobotArmForward, 0.0);
    MDN_COMPARE_NEAR(f.lo, 0.8 * std::cos(1.2) - 0.2 * std::sin(1.2), 1e-4, 0.0);
    MDN_COMPARE_NEAR(f.hi, 0.8 * std::cos(0.3) + 0.2, 1e-4, 0.0);
}

void TestRobotArm::positionRmseOfHandComputedPredictions()
{
    Dataset d;
    d.inputDims = d.targetDims = 2;
    const arm::Point x = arm::endEffector({M_PI / 4, M_PI});
    const double in[2] = {x.x, x.y}, t[2] = {M_PI / 4, M_PI};
    d.addPoint(in, t);
    d.addPoint(in, t);
    Eigen::MatrixXd angles(2, 2);
    // The first exact; the second stretched along theta1 = 0, at (1, 0):
    // distance^2 = (1 - cos(pi/4))^2 + sin(pi/4)^2 = 2 - sqrt(2).
    angles << M_PI / 4, 0.0, M_PI, M_PI;
    MDN_COMPARE_NEAR(arm::positionRmse(d, angles), std::sqrt((2.0 - std::sqrt(2.0)) / 2.0), 1e-12, 0.0);
    angles.col(1) = angles.col(0);
    MDN_COMPARE_NEAR(arm::positionRmse(d, angles), 0.0, 1e-12, 0.0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, arm::positionRmse(d, Eigen::MatrixXd(2, 3)));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, arm::positionRmse(Dataset(), Eigen::MatrixXd(2, 0)));
}

QTEST_APPLESS_MAIN(TestRobotArm)
#include "tst_robotarm.moc"
