// MDN training throughput: full-batch Adam epochs per second on the inverse sinusoid, for several
// dataset sizes and network shapes, with the fraction of a measured float32 GEMM peak reached.
//
// Usage: mdn_bench [--quick] [--seconds S]
// Pin it to one core for comparable figures: taskset -c 0 build/bench/mdn_bench

#include "dataset.h"
#include "trainer.h"

#include <Eigen/Core>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// FLOPs of one epoch in the matrix products: forward W2*A (2*3K*H*N), backward dZ*A^T and
// W2^T*dZ (2 * 2*3K*H*N), plus the 1-input first layer forward and backward (2 * 2*H*N).
double epochFlops(long n, int h, int k) { return 6.0 * 3 * k * h * n + 4.0 * h * n; }

// A large float32 GEMM: the machine's practical peak on this core.
double gemmPeak()
{
    const int n = 1024;
    Eigen::MatrixXf a = Eigen::MatrixXf::Random(n, n), b = Eigen::MatrixXf::Random(n, n), c(n, n);
    c.noalias() = a * b; // warm up
    const auto t0 = Clock::now();
    int reps = 0;
    do {
        c.noalias() = a * b;
        ++reps;
    } while (seconds(t0, Clock::now()) < 1.0);
    return 2.0 * n * n * n * reps / seconds(t0, Clock::now());
}

} // namespace

int main(int argc, char **argv)
{
    bool quick = false;
    double budget = 2.0;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0)
            quick = true;
        else if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            budget = std::stod(argv[++i]);
    }
    Eigen::setNbThreads(1);
    const double peak = gemmPeak();
    std::printf("float32 GEMM peak (1024^3, one thread): %.1f GFLOP/s\n\n", peak * 1e-9);
    std::printf("%9s %4s %4s %12s %16s %10s %8s\n", "N", "H", "K", "epochs/s", "points*epochs/s",
                "GFLOP/s", "of peak");

    const std::vector<long> sizes = quick ? std::vector<long>{1000} : std::vector<long>{1000, 100000};
    const std::vector<std::pair<int, int>> shapes = {{24, 24}, {64, 10}};
    for (long n : sizes)
        for (auto [h, k] : shapes) {
            mdn::GeneratorSpec g;
            g.points = std::size_t(n);
            const mdn::Dataset data = mdn::generate(g);
            mdn::TrainConfig c = mdn::defaultConfig(mdn::ModelKind::Mdn);
            c.hidden = {h};
            c.mixtures = k;
            mdn::Trainer t(data, c);
            t.train(3); // allocate the workspaces
            long epochs = 0;
            const auto t0 = Clock::now();
            double elapsed = 0.0;
            // Batches of epochs sized so that the clock is read rarely.
            long chunk = n >= 100000 ? 1 : 50;
            while (elapsed < budget) {
                epochs += t.train(chunk);
                elapsed = seconds(t0, Clock::now());
            }
            const double eps = double(epochs) / elapsed;
            const double flops = epochFlops(n, h, k) * eps;
            std::printf("%9ld %4d %4d %12.1f %16.3g %10.1f %7.1f%%\n", n, h, k, eps, eps * double(n),
                        flops * 1e-9, 100.0 * flops / peak);
        }
    return 0;
}
