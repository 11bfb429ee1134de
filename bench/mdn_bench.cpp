// MDN training throughput: full-batch Adam epochs per second on the inverse sinusoid, for several
// dataset sizes and network shapes, with the fraction of two ceilings reached: a large float32
// GEMM's rate, and the time the epoch's own five matrix products take at their real shapes.
//
// Usage:
//   mdn_bench [--quick] [--seconds S]            the table
//   mdn_bench --points N --hidden H --mixtures K [--seconds S] [--batch B]
//                                                one configuration, one line of key=value pairs
//   mdn_bench --time-to NLL [--points N --hidden H --mixtures K]
//                                                seconds of training until the train NLL <= NLL
//                                                (inverse sinusoid, full batch; N = 1000 and
//                                                H = K = 24 unless given, the rest defaults)
// Pin it to one core for comparable figures: taskset -c 0 build/bench/mdn_bench

#include "dataset.h"
#include "trainer.h"

#include <Eigen/Core>

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using MatrixF = Eigen::MatrixXf;

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// FLOPs of one epoch in the matrix products: forward W2*A (2*3K*H*N), backward dZ*A^T and
// W2^T*dZ (2 * 2*3K*H*N), plus the 1-input first layer forward and backward (2 * 2*H*N).
double epochFlops(long n, int h, int k) { return 6.0 * 3 * k * h * n + 4.0 * h * n; }

template <typename F>
double timePerCall(F &&f, double budget = 0.3)
{
    f(); // warm up
    long reps = 0;
    const auto t0 = Clock::now();
    do {
        f();
        ++reps;
    } while (seconds(t0, Clock::now()) < budget);
    return seconds(t0, Clock::now()) / double(reps);
}

// A large float32 GEMM: the machine's practical peak on this core.
double gemmPeak()
{
    const int n = 1024;
    MatrixF a = MatrixF::Random(n, n), b = MatrixF::Random(n, n), c(n, n);
    return 2.0 * n * n * n / timePerCall([&] { c.noalias() = a * b; }, 1.0);
}

// The epoch's five products alone, at their shapes (the same expressions as model/mlp.h), in
// blocks of at most Trainer::kBlock points: the fastest an epoch could be if nothing else cost.
double productSeconds(long n, int h, int k)
{
    const long b = std::min<long>(n, mdn::Trainer::kBlock);
    const int o = 3 * k;
    MatrixF X = MatrixF::Random(1, b), W1 = MatrixF::Random(h, 1), A = MatrixF::Random(h, b);
    MatrixF W2 = MatrixF::Random(o, h), Z(b, o), dZ = MatrixF::Random(b, o), gW2(o, h), dA(h, b),
            gW1(h, 1);
    const double block = timePerCall([&] {
        A.noalias() = W1 * X;                            // hidden pre-activation
        Z.noalias() = A.transpose() * W2.transpose();    // output, row per observation
        gW2.noalias() = dZ.transpose() * A.transpose();  // output weights' gradient
        dA.noalias() = W2.transpose() * dZ.transpose();  // back to the hidden layer
        gW1.noalias() = dA * X.transpose();              // hidden weights' gradient
    });
    return block * double(n) / double(b);
}

long maxRssKiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

struct Result {
    double epochsPerSecond = 0.0;
    double finalNll = 0.0;
};

Result measure(long n, int h, int k, std::size_t batch, double budget)
{
    mdn::GeneratorSpec g;
    g.points = std::size_t(n);
    const mdn::Dataset data = mdn::generate(g);
    mdn::TrainConfig c = mdn::defaultConfig(mdn::ModelKind::Mdn);
    c.hidden = {h};
    c.mixtures = k;
    c.batch = batch;
    mdn::Trainer t(data, c);
    t.train(n >= 1'000'000 ? 1 : 3); // allocate the workspaces
    long epochs = 0;
    const auto t0 = Clock::now();
    double elapsed = 0.0;
    const long chunk = n >= 100000 ? 1 : 50; // read the clock rarely
    do {
        epochs += t.train(chunk);
        elapsed = seconds(t0, Clock::now());
    } while (elapsed < budget);
    return {double(epochs) / elapsed, t.lastLoss()};
}

double timeToNll(double target, long n, int h, int k, long maxEpochs = 20000)
{
    mdn::GeneratorSpec g;
    g.points = std::size_t(n);
    const mdn::Dataset data = mdn::generate(g);
    mdn::TrainConfig c = mdn::defaultConfig(mdn::ModelKind::Mdn);
    c.hidden = {h};
    c.mixtures = k;
    mdn::Trainer t(data, c);
    double reached = -1.0;
    const auto t0 = Clock::now();
    t.train(maxEpochs, nullptr, [&](long, double loss) {
        if (loss <= target) {
            reached = seconds(t0, Clock::now());
            return false;
        }
        return true;
    });
    return reached;
}

} // namespace

int main(int argc, char **argv)
{
    bool quick = false;
    double budget = 2.0, timeTo = 0.0;
    long points = 0;
    int hidden = 24, mixtures = 24;
    std::size_t batch = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--quick")
            quick = true;
        else if (a == "--seconds" && more)
            budget = std::stod(argv[++i]);
        else if (a == "--points" && more)
            points = std::stol(argv[++i]);
        else if (a == "--hidden" && more)
            hidden = std::stoi(argv[++i]);
        else if (a == "--mixtures" && more)
            mixtures = std::stoi(argv[++i]);
        else if (a == "--batch" && more)
            batch = std::size_t(std::stol(argv[++i]));
        else if (a == "--time-to" && more)
            timeTo = std::stod(argv[++i]);
        else {
            std::fprintf(stderr, "usage: mdn_bench [--quick] [--seconds S] [--points N --hidden H "
                                 "--mixtures K [--batch B]] [--time-to NLL]\n");
            return 2;
        }
    }
    Eigen::setNbThreads(1);

    if (timeTo != 0.0) {
        const long n = points > 0 ? points : 1000;
        const double s = timeToNll(timeTo, n, hidden, mixtures);
        std::printf("time_to_nll=%g points=%ld hidden=%d mixtures=%d seconds=%.4f\n", timeTo, n,
                    hidden, mixtures, s);
        return s < 0 ? 1 : 0;
    }
    if (points > 0) {
        const Result r = measure(points, hidden, mixtures, batch, budget);
        const double bound = 1.0 / productSeconds(points, hidden, mixtures);
        std::printf("points=%ld hidden=%d mixtures=%d epochs_per_second=%.3f product_bound=%.3f "
                    "max_rss_kib=%ld final_nll=%.4f\n",
                    points, hidden, mixtures, r.epochsPerSecond, bound, maxRssKiB(), r.finalNll);
        return 0;
    }

    const double peak = gemmPeak();
    std::printf("float32 GEMM peak (1024^3, one thread): %.1f GFLOP/s\n\n", peak * 1e-9);
    std::printf("%9s %4s %4s %12s %16s %10s %8s %14s %9s\n", "N", "H", "K", "epochs/s",
                "points*epochs/s", "GFLOP/s", "of peak", "product bound", "of bound");
    const std::vector<long> sizes = quick ? std::vector<long>{1000} : std::vector<long>{1000, 100000};
    const std::vector<std::pair<int, int>> shapes = {{24, 24}, {64, 10}};
    for (long n : sizes)
        for (auto [h, k] : shapes) {
            const Result r = measure(n, h, k, 0, budget);
            const double eps = r.epochsPerSecond;
            const double bound = 1.0 / productSeconds(n, h, k);
            const double flops = epochFlops(n, h, k) * eps;
            std::printf("%9ld %4d %4d %12.1f %16.3g %10.1f %7.1f%% %14.1f %8.1f%%\n", n, h, k, eps,
                        eps * double(n), flops * 1e-9, 100.0 * flops / peak, bound,
                        100.0 * eps / bound);
        }
    return 0;
}
