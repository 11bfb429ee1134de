#pragma once
// Datasets: (x, y) pairs, the built-in generators and their true conditional densities.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mdn {

// A regression dataset: the targets y are to be predicted from the inputs x. Each point has
// inputDims inputs and targetDims targets, stored point-major: point i's inputs are
// x[i*inputDims .. (i+1)*inputDims), its targets y[i*targetDims .. (i+1)*targetDims). With one
// input and one target (the default, and every built-in generator) x[i] and y[i] are simply
// point i's (x, y).
struct Dataset {
    std::vector<double> x;
    std::vector<double> y;
    int inputDims = 1;
    int targetDims = 1;
    // Column names, from a CSV header; empty, or one per column. See inputName / targetName.
    std::vector<std::string> inputNames, targetNames;
    std::string name; // generator name or file name, for display only

    std::size_t size() const { return inputDims > 0 ? x.size() / std::size_t(inputDims) : 0; }
    bool empty() const { return x.empty(); }
    bool oneDimensional() const { return inputDims == 1 && targetDims == 1; }
    // Both value arrays hold whole points, the same number of them, and the names fit.
    bool shapeValid() const;

    double input(std::size_t point, int column) const
    {
        return x[point * std::size_t(inputDims) + std::size_t(column)];
    }
    double target(std::size_t point, int column) const
    {
        return y[point * std::size_t(targetDims) + std::size_t(column)];
    }
    // One column's values over all points.
    std::vector<double> inputColumn(int column) const;
    std::vector<double> targetColumn(int column) const;
    // The header's name, else "x"/"y" for one column, "x1", "x2"... / "y1", "y2"... for several.
    std::string inputName(int column) const;
    std::string targetName(int column) const;
    // Drops every point and keeps the shape and the names.
    void clearPoints();
    // Appends one point; `inputs` and `targets` hold inputDims and targetDims values.
    void addPoint(const double *inputs, const double *targets);
    // The (x, y) view of one input and one target column, with their names.
    Dataset projection(int input = 0, int target = 0) const;
};

// The built-in toy problems.
//  Sinusoid:        x ~ U(-10.5, 10.5), y = 7 sin(0.75 x) + 0.5 x + N(0, noise)        (Ha 2015)
//  InverseSinusoid: the same pairs with x and y swapped: one x, up to five right answers
//  Bishop:          t ~ U(0, 1), x = t + 0.3 sin(2 pi t) + U(-noise, noise), learn t from x
//                   (Bishop 1994; noise is the half-width of the uniform term, 0.1 there)
//  RobotArm:        Bishop's (1994) two-link arm (robotarm.h): theta1 ~ U(0.3, 1.2),
//                   theta2 ~ U(pi/2, 3pi/2); learn the angles (targets theta1, theta2) from the
//                   end effector's position (inputs x1, x2) + N(0, noise^2) on each coordinate.
//                   Two answers for most positions; noise 0 by default, as Bishop's data.
//  RobotArmForward: the same arm the other way round: inputs theta1, theta2, targets the noisy
//                   position x1, x2; one answer.
// The arm problems have two inputs and two targets; the others one of each.
enum class Generator { Sinusoid, InverseSinusoid, Bishop, RobotArm, RobotArmForward };

// Generated points by default. With 20% held out the default MDN trains on 3,200 and comes within
// about 0.05 nats of the Bayes-optimal NLL on the held-out points (40 seeds: worst 0.08); on 800
// (1,000 points) the gap is about 0.14, on 2,000 (2,500, Ha's MDN data) about 0.065. README,
// "Defaults, chosen by measurement".
constexpr std::size_t kDefaultPoints = 4000;

struct GeneratorSpec {
    Generator generator = Generator::InverseSinusoid;
    std::size_t points = kDefaultPoints;
    double noise = 1.0;
    std::uint64_t seed = 1;
};

const char *generatorName(Generator g);                       // "sinusoid", ..., "robot-arm-forward"
std::optional<Generator> generatorFromName(const std::string &name);
// In the order of the enum: the one-dimensional generators first.
std::vector<Generator> allGenerators();
double defaultNoise(Generator g);                             // 1.0, 1.0, 0.1, 0, 0
// The inputs and targets per point of a generator's data: 1 and 1, or 2 and 2 for the arm.
int generatorInputDims(Generator g);
int generatorTargetDims(Generator g);
// Data of the generator's shape (its number of inputs and targets).
bool fitsGenerator(Generator g, const Dataset &data);

// Stops early, with the points drawn so far, when *stop turns true (checked every 65,536 points).
Dataset generate(const GeneratorSpec &spec, const std::atomic<bool> *stop = nullptr);

// The forward curve of the sinusoid problems: f(t) = 7 sin(0.75 t) + 0.5 t.
double sinusoidCurve(double t);

// The true conditional density p(y | x) of a generator, evaluated at every y of `ys` for one x.
// For the inverse problems the density is proportional to prior(y) * likelihood(x | y); its
// normaliser is found by integrating over the generator's hidden variable on a fine grid.
// One input and one target only: empty for the arm generators, whose density is over two targets
// given two inputs (arm::conditionalDensity).
std::vector<double> trueConditionalDensity(Generator g, double noise, double x,
                                           const std::vector<double> &ys);

// Mean negative log-likelihood (nats per point) of `data` under the generator's true density:
// the lowest mean NLL any model can expect on fresh data from that generator. Above 2,000 points
// the inverse problems' evidence integral is tabulated over x (nodes noise/64 apart) and
// interpolated, which keeps a million points to about a second and the result within 1e-4 nats.
// A noiseless generator (noise 0) has no such floor: its density is a spike, and the result is
// -infinity. NaN for no data, or when *stop turns true before the end (checked every 4,096 points).
// The arm generators' floors are arm::inverseBayesNll and arm::forwardBayesNll. Throws
// std::invalid_argument for data that do not fit the generator (fitsGenerator).
double bayesNll(Generator g, double noise, const Dataset &data,
                const std::atomic<bool> *stop = nullptr);

// The support of y for a generator (for plotting ranges and integration grids).
struct Range {
    double lo = 0.0, hi = 0.0;
};
// For the arm generators, of the first target (the one the charts plot): theta1's box for
// robot-arm, x1's reach widened by 4 noise SDs for robot-arm-forward.
Range trueYRange(Generator g, double noise);

} // namespace mdn
