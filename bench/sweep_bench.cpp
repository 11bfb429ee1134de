// A sweep in one session against the same runs one after another: six MDN runs (the mixtures
// 1, 2, 3, 5, 10, 24 of a --sweep) of 3,000 full-batch epochs on 4,000 inverse-sinusoid points
// (3,200 trained on, 800 held out), first together in one Session (both cores, a run per free
// thread), then each in a session of its own, in turn. Prints both times, their ratio (the goal
// is at most 0.60 on two cores) and the machine's load average before and after.
//
// Usage: sweep_bench [--epochs E] [--points N] [--mixtures K1,K2,...]

#include "dataset.h"
#include "session.h"
#include "settings.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sys/resource.h>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// CPU seconds this process has used (user and system, all threads): with the wall time it says
// whether a slow phase worked more or only waited for a core the machine's other jobs held.
double cpuSeconds()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

std::string loadAverage()
{
    std::ifstream f("/proc/loadavg");
    std::string one, five, fifteen;
    f >> one >> five >> fifteen;
    return one.empty() ? std::string("n/a") : one + " " + five + " " + fifteen;
}

} // namespace

int main(int argc, char **argv)
{
    long epochs = 3000;
    std::size_t points = 4000;
    std::vector<int> mixtures = {1, 2, 3, 5, 10, 24};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--epochs"))
            epochs = std::atol(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--points"))
            points = std::size_t(std::atol(argv[i + 1]));
        else if (!std::strcmp(argv[i], "--mixtures")) {
            mixtures.clear();
            std::stringstream list(argv[i + 1]);
            for (std::string k; std::getline(list, k, ',');)
                mixtures.push_back(std::atoi(k.c_str()));
        } else {
            std::fprintf(stderr, "usage: sweep_bench [--epochs E] [--points N] [--mixtures K1,K2,...]\n");
            return 2;
        }
    }
    mdn::Settings settings;
    settings.points = int(points);
    mdn::GeneratorSpec g = settings.generatorSpec();
    auto data = std::make_shared<const mdn::Dataset>(mdn::generate(g));
    mdn::SessionOptions options = settings.sessionOptions();
    std::vector<mdn::TrainConfig> runs;
    for (int k : mixtures) {
        mdn::Settings s = settings;
        s.mixtures = k;
        runs.push_back(s.modelConfig(mdn::ModelKind::Mdn));
    }
    std::printf("sweep_bench: %zu MDN runs x %ld epochs on %zu points, %u hardware threads, load %s\n",
                runs.size(), epochs, data->size(), std::thread::hardware_concurrency(), loadAverage().c_str());

    Clock::time_point t = Clock::now();
    double cpu = cpuSeconds();
    mdn::Session together(data, options, runs);
    together.train(epochs);
    const double sweep = since(t);
    std::printf("one session:   %.2f s (%.2f s of CPU)\n", sweep, cpuSeconds() - cpu);

    t = Clock::now();
    cpu = cpuSeconds();
    bool same = true;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        mdn::Session alone(data, options, {runs[r]});
        alone.train(epochs);
        // The same run trains to the same weights alone as in company.
        same = same && alone.trainer(0).parameters() == together.trainer(r).parameters();
    }
    const double serial = since(t);
    std::printf("one by one:    %.2f s (%.2f s of CPU)\n", serial, cpuSeconds() - cpu);
    std::printf("ratio %.3f (goal <= 0.60), load after %s; the runs' final weights %s\n", sweep / serial,
                loadAverage().c_str(), same ? "are the same both ways" : "DIFFER");
    // What two free cores would give: the runs' own training times in the session, the longest
    // against half their sum (the session cannot finish before either).
    double sum = 0.0, longest = 0.0;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const double s = together.history(r).seconds;
        std::printf("  run %zu (K = %d): %.2f s training\n", r, runs[r].mixtures, s);
        sum += s;
        longest = std::max(longest, s);
    }
    std::printf("bound on two idle cores: max(longest %.2f, half the sum %.2f) / sum = %.3f\n", longest, sum / 2,
                std::max(longest, sum / 2) / sum);
    return 0;
}
