// Bishop's robot arm: how close the window's models come to the true answer. Trains the MSE net
// and the MDN of a session (the same settings, split and seeds as mdnviz) on the robot-arm data,
// then prints, on the held-out points: the MDN's NLL, the Bayes floor under it and the gap; how
// far the arm ends from where it was sent when it takes the MDN's likeliest angles (the mean of
// the most probable component) and the MSE net's angles, and the ratio of the two; and the seconds.
//
// Usage:
//   arm_bench [--dataset robot-arm|robot-arm-forward] [--points N] [--noise SD] [--seed S]
//             [--mixtures K] [--hidden H] [--mse-hidden H] [--epochs E] [--lr LR]
//             [--optimizer adam|rmsprop|sgd] [--batch B] [--validation P]
//             [--seeds N]          N runs, seeds S .. S + N - 1, and their mean, least and largest
//             [--csv PATH]         train on a file's x1, x2 -> theta1, theta2 instead; --noise is
//                                  then the noise the file was drawn with (for the floor)
//             [--save-csv PATH]    write the generated data of the first seed and stop
//             [--every E]          also print the held-out NLL and position errors every E epochs
// Every option but the last three is mdnviz's own (the settings table), with its defaults; the
// dataset defaults to robot-arm and the noise to the dataset's own (0).

#include "csv.h"
#include "robotarm.h"
#include "session.h"
#include "settings.h"

#include <Eigen/Core>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
    double nll = 0.0, floor = 0.0, mdnRmse = 0.0, mseRmse = 0.0, seconds = 0.0, mdnSeconds = 0.0;
    double gap() const { return nll - floor; }
    double ratio() const { return mseRmse / mdnRmse; }
};

// The validation inputs as a matrix, one column per point (inputDims x n).
Eigen::MatrixXd inputsOf(const mdn::Dataset &d)
{
    Eigen::MatrixXd X(d.inputDims, Eigen::Index(d.size()));
    for (std::size_t i = 0; i < d.size(); ++i)
        for (int c = 0; c < d.inputDims; ++c)
            X(c, Eigen::Index(i)) = d.input(i, c);
    return X;
}

// The arm's position error: for the inverse problem, where the predicted angles put the hand; for
// the forward one, the predicted positions' distance from the observed ones.
double positionError(const mdn::Dataset &d, bool forward, const Eigen::MatrixXd &predicted)
{
    if (!forward)
        return mdn::arm::positionRmse(d, predicted);
    double sum = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i)
        sum += std::pow(predicted(0, Eigen::Index(i)) - d.target(i, 0), 2) +
               std::pow(predicted(1, Eigen::Index(i)) - d.target(i, 1), 2);
    return std::sqrt(sum / double(d.size()));
}

Figures run(const mdn::Settings &s, std::shared_ptr<const mdn::Dataset> data, long every)
{
    // A file too is taken for the arm's data with the noise given: its floor is the generator's.
    const mdn::SessionOptions options = s.sessionOptions();
    const Clock::time_point start = Clock::now();
    mdn::Session session(std::move(data), options, s.modelConfigs());
    const mdn::Dataset &v = session.validationData();
    const std::size_t mse = *session.firstRun(mdn::ModelKind::Mse), mdn = *session.firstRun(mdn::ModelKind::Mdn);
    const Eigen::MatrixXd X = inputsOf(v);
    const bool forward = s.generator == mdn::Generator::RobotArmForward;
    // The same epochs in steps (a session trains the same models however its epochs are cut up).
    for (long done = 0; done < s.epochLimit;) {
        const long step = every > 0 ? std::min(every, s.epochLimit - done) : s.epochLimit - done;
        session.train(step);
        done += step;
        if (every > 0 && done < s.epochLimit) {
            session.validateNow();
            std::printf("  epoch %6ld: train nll %8.4f  nll %8.4f  gap %8.4f  mdn_rmse %9.5f  mse_rmse %9.5f\n",
                        done, session.trainer(mdn).lastLoss(), session.latestValidation(mdn::ModelKind::Mdn),
                        session.latestValidation(mdn::ModelKind::Mdn) - session.bayesNll(),
                        positionError(v, forward, session.trainer(mdn).predictor().likeliestAt(X)),
                        positionError(v, forward, session.trainer(mse).predictor().predictAt(X)));
            std::fflush(stdout);
        }
    }
    session.validateNow();
    Figures f;
    f.nll = session.latestValidation(mdn::ModelKind::Mdn);
    f.floor = session.bayesNll();
    f.mdnRmse = positionError(v, forward, session.trainer(mdn).predictor().likeliestAt(X));
    f.mseRmse = positionError(v, forward, session.trainer(mse).predictor().predictAt(X));
    f.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    f.mdnSeconds = session.history(mdn).seconds;
    if (session.failed())
        std::fprintf(stderr, "arm_bench: a run failed (repeated numerical faults)\n");
    return f;
}

void print(const char *label, const Figures &f)
{
    std::printf("%-8s %8.4f %9.4f %8.4f %10.5f %10.5f %7.1f %8.1f %8.1f\n", label, f.nll, f.floor,
                f.gap(), f.mdnRmse, f.mseRmse, f.ratio(), f.seconds, f.mdnSeconds);
}

int usage()
{
    std::fprintf(stderr, "usage: arm_bench [--dataset robot-arm|robot-arm-forward] [--points N] [--noise SD] "
                         "[--seed S] [--seeds N] [--mixtures K] [--hidden H] [--mse-hidden H] [--epochs E] "
                         "[--lr LR] [--optimizer NAME] [--batch B] [--validation P] [--csv PATH] "
                         "[--save-csv PATH] [--every E]\n");
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    mdn::Settings s;
    s.generator = mdn::Generator::RobotArm;
    bool noiseGiven = false;
    int seeds = 1;
    long every = 0;
    std::string csv, saveCsv;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || i + 1 >= argc)
            return usage();
        const std::string option = a.substr(2), value = argv[++i];
        if (option == "seeds") {
            seeds = std::max(1, std::stoi(value));
        } else if (option == "every") {
            every = std::max(0L, std::stol(value));
        } else if (option == "csv") {
            csv = value;
        } else if (option == "save-csv") {
            saveCsv = value;
        } else if (const mdn::SettingSpec *spec = mdn::settingForOption(option)) {
            std::string why;
            if (!spec->set(s, value, why)) {
                std::fprintf(stderr, "arm_bench: --%s %s: %s\n", option.c_str(), value.c_str(), why.c_str());
                return 2;
            }
            noiseGiven = noiseGiven || option == "noise";
        } else {
            return usage();
        }
    }
    if (s.generator != mdn::Generator::RobotArm && s.generator != mdn::Generator::RobotArmForward) {
        std::fprintf(stderr, "arm_bench: --dataset must be robot-arm or robot-arm-forward\n");
        return 2;
    }
    if (!noiseGiven)
        s.noise = mdn::defaultNoise(s.generator);

    std::shared_ptr<const mdn::Dataset> file;
    if (!csv.empty()) {
        mdn::Dataset d;
        mdn::CsvError err;
        mdn::CsvColumns columns;
        columns.inputs = {"x1", "x2"};
        columns.targets = {"theta1", "theta2"};
        if (s.generator == mdn::Generator::RobotArmForward)
            std::swap(columns.inputs, columns.targets);
        if (!mdn::readCsv(csv, d, err, {}, nullptr, nullptr, columns)) {
            std::fprintf(stderr, "arm_bench: %s\n", err.toString().c_str());
            return 1;
        }
        file = std::make_shared<const mdn::Dataset>(std::move(d));
    }
    if (!saveCsv.empty()) {
        std::string err;
        if (!mdn::writeCsv(saveCsv, mdn::generate(s.generatorSpec()), err)) {
            std::fprintf(stderr, "arm_bench: %s\n", err.c_str());
            return 1;
        }
        return 0;
    }

    std::printf("%s: %s, noise %g, K=%d, H=%d (MSE H=%d), %s lr %g, batch %d, %ld epochs, %d%% held out\n",
                mdn::generatorName(s.generator), file ? csv.c_str() : (std::to_string(s.points) + " points").c_str(),
                s.noise, s.mixtures, s.mdnHidden, s.mseHidden, mdn::optimizerName(s.optimizer),
                s.learningRate, s.batch, s.epochLimit, s.validationPercent);
    std::printf("%-8s %8s %9s %8s %10s %10s %7s %8s %8s\n", "seed", "nll", "floor", "gap", "mdn_rmse",
                "mse_rmse", "ratio", "seconds", "mdn_s");
    std::vector<Figures> all;
    const std::uint64_t first = s.seed;
    for (int k = 0; k < seeds; ++k) {
        s.seed = first + std::uint64_t(k);
        const auto data = file ? file : std::make_shared<const mdn::Dataset>(mdn::generate(s.generatorSpec()));
        all.push_back(run(s, data, every));
        print(std::to_string(s.seed).c_str(), all.back());
        std::fflush(stdout);
    }
    if (all.size() > 1) {
        // The mean of each figure (the ratio: of the mean errors), then the worst of each.
        Figures mean, lo, hi;
        const auto field = [](Figures &f, int i) -> double & {
            double *p[] = {&f.nll, &f.floor, &f.mdnRmse, &f.mseRmse, &f.seconds, &f.mdnSeconds};
            return *p[i];
        };
        for (int i = 0; i < 6; ++i) {
            field(lo, i) = std::numeric_limits<double>::infinity();
            field(hi, i) = -std::numeric_limits<double>::infinity();
            for (Figures &f : all) {
                field(mean, i) += field(f, i) / double(all.size());
                field(lo, i) = std::min(field(lo, i), field(f, i));
                field(hi, i) = std::max(field(hi, i), field(f, i));
            }
        }
        print("mean", mean);
        // The worst: the largest NLL, gap, errors and times, the smallest ratio.
        double worstGap = -std::numeric_limits<double>::infinity(), worstRatio = std::numeric_limits<double>::infinity();
        for (const Figures &f : all) {
            worstGap = std::max(worstGap, f.gap());
            worstRatio = std::min(worstRatio, f.ratio());
        }
        std::printf("%-8s %8.4f %9s %8.4f %10.5f %10.5f %7.1f %8.1f %8.1f\n", "worst", hi.nll, "", worstGap,
                    hi.mdnRmse, hi.mseRmse, worstRatio, hi.seconds, hi.mdnSeconds);
    }
    return 0;
}
