// How fast the divergence guard reacts at a learning rate of 1e6. The guard checks the loss and
// gradient of the weights each step starts from (and the weights after the step), so a step that
// drives the model off is rolled back when the next step begins. For every rollback this measures
// the epochs and the microseconds from the end of the step before it (the bad step) to the
// rollback, and it checks, independently of the guard, the loss of the training data after every
// step the guard let through: a non-finite value there, or non-finite weights after a rollback,
// fails the run (exit 1). It also counts the accepted steps whose loss exceeds the untrained
// model's L0 by the guard's own margin, 10 max(1, |L0|): the guard measures explosions against
// its last checkpoint, which may itself have drifted up. Plain C++, no Qt.
//
// Usage: divergence_latency [seeds]   (default 5)

#include "dataset.h"
#include "optimizer.h"
#include "trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace mdn;
using Clock = std::chrono::steady_clock;

namespace {

struct Result {
    long faults = 0, steps = 0, nonFiniteAccepted = 0, aboveUntrained = 0, nonFiniteAfterRollback = 0;
    std::vector<long> epochs;
    std::vector<double> micros;
    std::vector<double> finalOverUntrained;

    void add(const Result &r)
    {
        faults += r.faults;
        steps += r.steps;
        nonFiniteAccepted += r.nonFiniteAccepted;
        aboveUntrained += r.aboveUntrained;
        nonFiniteAfterRollback += r.nonFiniteAfterRollback;
        epochs.insert(epochs.end(), r.epochs.begin(), r.epochs.end());
        micros.insert(micros.end(), r.micros.begin(), r.micros.end());
        finalOverUntrained.insert(finalOverUntrained.end(), r.finalOverUntrained.begin(),
                                  r.finalOverUntrained.end());
    }
};

double standardised(const Trainer &t, double dataLoss)
{
    const double s = t.standardiser().yScale[0];
    return t.config().kind == ModelKind::Mdn ? dataLoss - std::log(s) : dataLoss / (s * s);
}

void run(ModelKind kind, OptimizerKind optimizer, std::uint64_t seed, Result &r)
{
    GeneratorSpec g;
    g.points = 1000;
    g.seed = seed;
    const Dataset d = generate(g);
    TrainConfig c = defaultConfig(kind);
    c.optimizer = optimizerDefaults(optimizer, 1e6);
    c.seed = seed;
    Trainer t(d, c);

    const double untrained = standardised(t, t.loss(d));
    const double margin = untrained + 10.0 * std::max(1.0, std::abs(untrained));
    std::size_t faultsSeen = 0;
    long lastCompleted = 0;
    Clock::time_point previous = Clock::now();
    t.train(400, nullptr, [&](long epoch, double) {
        const Clock::time_point now = Clock::now();
        if (t.faults().size() > faultsSeen) { // this attempt was rolled back
            r.faults += long(t.faults().size() - faultsSeen);
            faultsSeen = t.faults().size();
            r.epochs.push_back(t.faults().back().epoch - lastCompleted);
            r.micros.push_back(std::chrono::duration<double, std::micro>(now - previous).count());
            if (!t.net().parameters().allFinite())
                ++r.nonFiniteAfterRollback;
            previous = Clock::now();
            return true;
        }
        ++r.steps;
        lastCompleted = epoch;
        const double loss = standardised(t, t.loss(d));
        if (!std::isfinite(loss) || !t.net().parameters().allFinite())
            ++r.nonFiniteAccepted;
        else if (loss > margin)
            ++r.aboveUntrained;
        previous = Clock::now(); // after the measurement: only the guard's own work counts
        return true;
    });
    if (!t.net().parameters().allFinite())
        ++r.nonFiniteAfterRollback;
    r.finalOverUntrained.push_back(standardised(t, t.loss(d)) - untrained);
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::size_t(p * double(v.size() - 1) + 0.5)];
}

long maxOf(const std::vector<long> &v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

} // namespace

int main(int argc, char **argv)
{
    const int seeds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    std::printf("divergence guard at lr 1e6: inverse sinusoid, 1000 points, full batch, 400 "
                "epochs, %d seeds per row\n", seeds);
    std::printf("%-5s %-8s %7s %10s %10s %11s %9s %9s %12s %13s\n", "model", "optim", "faults",
                "max epochs", "median us", "max us", "steps", "nonfinite", "above L0+m",
                "final - L0");
    Result all;
    for (const ModelKind kind : {ModelKind::Mdn, ModelKind::Mse}) {
        for (const OptimizerKind optimizer :
             {OptimizerKind::Adam, OptimizerKind::RMSProp, OptimizerKind::SGD}) {
            Result r;
            for (int seed = 1; seed <= seeds; ++seed)
                run(kind, optimizer, std::uint64_t(seed), r);
            std::printf("%-5s %-8s %7ld %10ld %10.1f %11.1f %9ld %9ld %12ld %13.2f\n",
                        modelName(kind), optimizerName(optimizer), r.faults, maxOf(r.epochs),
                        percentile(r.micros, 0.5), percentile(r.micros, 1.0), r.steps,
                        r.nonFiniteAccepted, r.aboveUntrained,
                        percentile(r.finalOverUntrained, 0.5));
            all.add(r);
        }
    }
    std::printf("all: %ld rollbacks, each at most %ld epoch after its bad step (median %.1f us, "
                "max %.1f us from the end of the bad step to the rollback); %ld steps accepted, "
                "%ld with a non-finite loss or weights, %ld non-finite after a rollback; %ld "
                "accepted above L0 + 10 max(1, |L0|)\n",
                all.faults, maxOf(all.epochs), percentile(all.micros, 0.5),
                percentile(all.micros, 1.0), all.steps, all.nonFiniteAccepted,
                all.nonFiniteAfterRollback, all.aboveUntrained);
    const bool ok = all.faults > 0 && maxOf(all.epochs) <= 1 && all.nonFiniteAccepted == 0 &&
                    all.nonFiniteAfterRollback == 0;
    return ok ? 0 : 1;
}
