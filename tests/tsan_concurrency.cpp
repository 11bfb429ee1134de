// The concurrency that does not go through Qt, in the shapes the application uses it, for
// ThreadSanitizer (scripts/test-tsan builds this with -fsanitize=thread, no suppressions):
//  1. Trainer::train on two threads at once (the headless trainer's two models) while a third
//     thread sets their shared std::atomic<bool> stop flag, as the SIGINT handler does;
//  2. a training thread handing value snapshots (fillSnapshot) to a reader thread through a
//     mutex-guarded mailbox, newest wins, as the worker hands them to the window;
//  3. readCsv on a loader thread reporting progress into atomics that another thread polls and
//     cancelling through an atomic flag, as the window's load job does.
// Plain C++ and the model library; exits 1 on a wrong result (TSan itself reports races).

#include "csv.h"
#include "dataset.h"
#include "snapshot.h"
#include "trainer.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace mdn;
using namespace std::chrono_literals;

namespace {

int g_failures = 0;

void expect(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "FAIL: %s\n", what);
        ++g_failures;
    }
}

Dataset data(std::size_t n)
{
    GeneratorSpec g;
    g.points = n;
    return generate(g);
}

void stopFlagStopsBothModels()
{
    const Dataset d = data(4000);
    Trainer mse(d, defaultConfig(ModelKind::Mse));
    TrainConfig small = defaultConfig(ModelKind::Mdn);
    small.batch = 256; // the flag is also checked between mini-batches
    Trainer mdnModel(d, small);
    std::atomic<bool> stop{false};
    long mseEpochs = 0, mdnEpochs = 0;
    std::thread a([&] { mseEpochs = mse.train(100'000'000, &stop); });
    std::thread b([&] { mdnEpochs = mdnModel.train(100'000'000, &stop); });
    std::thread interrupter([&] {
        std::this_thread::sleep_for(300ms);
        stop.store(true);
    });
    const auto start = std::chrono::steady_clock::now();
    interrupter.join();
    a.join();
    b.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("stop flag: mse %ld epochs, mdn %ld epochs, both stopped %.0f ms after start\n",
                mseEpochs, mdnEpochs, seconds * 1e3);
    expect(mseEpochs > 0 && mdnEpochs > 0, "both models trained before the stop");
    expect(mse.epoch() == mseEpochs && mdnModel.epoch() == mdnEpochs, "epochs counted");
    expect(seconds < 30.0, "stopped promptly");
}

// Newest-wins mailbox: the writer never waits for the reader.
struct Mailbox {
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<Snapshot> latest;
    bool closed = false;
};

void snapshotsCrossThreads()
{
    const Dataset d = data(600);
    Mailbox box;
    long produced = 0, consumed = 0, lastEpoch = -1;
    bool ordered = true, finite = true;
    std::thread producer([&] {
        Trainer mse(d, defaultConfig(ModelKind::Mse));
        Trainer mdnModel(d, defaultConfig(ModelKind::Mdn));
        SnapshotRequest request;
        request.densityColumns = 40;
        request.densityRows = 40;
        for (long epoch = 1; epoch <= 150; ++epoch) {
            mse.train(1);
            mdnModel.train(1);
            Snapshot s;
            s.epoch = epoch;
            s.mseLoss = mse.lastLoss();
            s.mdnLoss = mdnModel.lastLoss();
            s.losses.push_back({epoch, s.mseLoss, s.mdnLoss});
            fillSnapshot(s, &mse, &mdnModel, d, request);
            {
                std::lock_guard<std::mutex> lock(box.mutex);
                box.latest = std::move(s);
            }
            box.changed.notify_one();
            ++produced;
        }
        std::lock_guard<std::mutex> lock(box.mutex);
        box.closed = true;
        box.changed.notify_one();
    });
    std::thread consumer([&] {
        for (;;) {
            std::optional<Snapshot> s;
            {
                std::unique_lock<std::mutex> lock(box.mutex);
                box.changed.wait(lock, [&] { return box.latest || box.closed; });
                if (!box.latest && box.closed)
                    return;
                s = std::move(box.latest);
                box.latest.reset();
            }
            // Read everything, as the charts do.
            ++consumed;
            ordered = ordered && s->epoch > lastEpoch;
            lastEpoch = s->epoch;
            double sum = s->mseLoss + s->mdnLoss;
            for (double v : s->mseCurve)
                sum += v;
            for (std::size_t i = 0; i < s->sampleY.size(); ++i)
                sum += s->sampleX[i] + s->sampleY[i];
            sum += s->mixture.pi.sum() + s->mixture.mu.sum() + s->mixture.sigma.sum();
            finite = finite && std::isfinite(sum);
        }
    });
    producer.join();
    consumer.join();
    std::printf("snapshots: %ld produced, %ld read (newest wins), last epoch %ld\n", produced,
                consumed, lastEpoch);
    expect(ordered, "snapshots arrive in order");
    expect(finite, "snapshots hold finite values");
    expect(lastEpoch == 150, "the last snapshot arrives");
}

void loadWithProgressAndCancel()
{
    char dir[] = "/tmp/mdnviz-tsan-XXXXXX";
    if (!::mkdtemp(dir)) {
        expect(false, "temporary folder");
        return;
    }
    const std::string path = std::string(dir) + "/big.csv";
    {
        Dataset d = data(400000);
        std::string err;
        expect(writeCsv(path, d, err), "write the test file");
    }
    for (const bool cancelEarly : {false, true}) {
        std::atomic<std::uint64_t> done{0}, total{0};
        std::atomic<bool> cancel{false}, finished{false};
        Dataset out;
        CsvError err;
        bool ok = false;
        std::thread loader([&] {
            ok = readCsv(
                path, out, err, CsvLimits(),
                [&](std::uint64_t d, std::uint64_t t) {
                    done = d;
                    total = t;
                },
                &cancel);
            finished = true;
        });
        long polls = 0;
        while (!finished.load()) { // the window's progress timer
            if (total.load() > 0 && done.load() > total.load())
                expect(false, "progress within its total");
            if (cancelEarly && done.load() > 0)
                cancel = true;
            ++polls;
            std::this_thread::sleep_for(1ms);
        }
        loader.join();
        if (cancelEarly)
            expect(ok || err.message == "cancelled", "a cancelled load says so");
        else
            expect(ok && out.size() == 400000, "the whole file loads");
        std::printf("load%s: %s after %ld polls\n", cancelEarly ? " with cancel" : "",
                    ok ? "loaded" : err.message.c_str(), polls);
    }
    ::unlink(path.c_str());
    ::rmdir(dir);
}

} // namespace

int main()
{
    stopFlagStopsBothModels();
    snapshotsCrossThreads();
    loadWithProgressAndCancel();
    if (g_failures == 0)
        std::printf("all concurrency checks passed\n");
    return g_failures == 0 ? 0 : 1;
}
