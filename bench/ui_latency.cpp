// GUI responsiveness while training runs flat out with live charts: the lateness of a 10 ms
// timer on the GUI thread (p50, p99, max), and the time from a Train click to the first chart
// update. Runs the real main window (offscreen unless a display is set).
//
// With --breakdown, the GUI thread's cost per view is printed too: after the measurement,
// training is paused and each view repainted 30 times (median ms).
//
// Usage: ui_latency [--seconds S] [--points N] [--breakdown]

#include "datachart.h"
#include "healthpanel.h"
#include "losschart.h"
#include "mainwindow.h"
#include "mixturechart.h"
#include "settings.h"
#include "slicechart.h"
#include "snapshot.h"
#include "trainer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

// Median milliseconds of `f` over `runs` calls.
template <class F>
double medianMs(int runs, F &&f)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        ms.push_back(double(t.nsecsElapsed()) * 1e-6);
    }
    return percentile(ms, 0.5);
}

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    double seconds = 5.0;
    int points = 1000;
    bool breakdown = false;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--breakdown")
            breakdown = true;
        else if (i + 1 == args.size())
            break;
        else if (args[i] == "--seconds")
            seconds = args[i + 1].toDouble();
        else if (args[i] == "--points")
            points = args[i + 1].toInt();
    }

    mdnviz::MainWindow w(false);
    w.resize(1280, 800);
    w.show();
    mdnviz::Settings s = w.settings();
    s.epochLimit = 0; // flat out for the whole measurement
    s.points = points;
    w.applySettings(s);

    QElapsedTimer clock;
    double firstUpdateMs = -1.0;
    long updates = 0;
    QObject::connect(&w, &mdnviz::MainWindow::snapshotShown, [&](long epoch) {
        if (epoch > 0 && firstUpdateMs < 0)
            firstUpdateMs = double(clock.nsecsElapsed()) * 1e-6;
        ++updates;
    });

    std::vector<double> lateness;
    QTimer tick;
    tick.setTimerType(Qt::PreciseTimer);
    QElapsedTimer sinceTick;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        lateness.push_back(std::max(0.0, double(sinceTick.nsecsElapsed()) * 1e-6 - 10.0));
        sinceTick.restart();
    });

    // Let the window settle, then press Train and measure.
    QTimer::singleShot(500, [&] {
        clock.start();
        w.train();
        sinceTick.start();
        tick.start(10);
    });
    long startEpoch = 0;
    QTimer::singleShot(int(500 + seconds * 1000), [&] {
        tick.stop();
        startEpoch = w.epoch();
        app.quit();
    });
    app.exec();
    w.pause();
    if (breakdown) {
        // The GUI thread's cost of one snapshot, per view: taking it in (series replaced, the
        // density image rebuilt) and drawing it (the view rendered into an image). A snapshot
        // of models trained for a while on the window's data, as the worker makes them.
        mdn::Trainer mse(w.dataset(), mdn::defaultConfig(mdn::ModelKind::Mse));
        mdn::Trainer mdnT(w.dataset(), mdn::defaultConfig(mdn::ModelKind::Mdn));
        mse.train(500);
        mdnT.train(500);
        mdn::Snapshot snap;
        snap.epoch = 500;
        mdn::fillSnapshot(snap, &mse, &mdnT, w.dataset(), mdn::SnapshotRequest());
        const auto [yLo, yHi] = std::minmax_element(w.dataset().y.begin(), w.dataset().y.end());
        const double span = *yHi - *yLo;
        const int runs = 20;
        std::printf("per_snapshot_ms_median:");
        std::printf(" data_set=%.2f", medianMs(runs, [&] { w.dataChart()->setSnapshot(snap); }));
        std::printf(" data_draw=%.2f", medianMs(runs, [&] { w.dataChart()->grab(); }));
        std::printf(" loss_draw=%.2f", medianMs(runs, [&] { w.lossChart()->grab(); }));
        std::printf(" slice_set=%.2f", medianMs(runs, [&] { w.sliceChart()->setSnapshot(snap); }));
        std::printf(" slice_draw=%.2f", medianMs(runs, [&] { w.sliceChart()->grab(); }));
        std::printf(" health=%.2f", medianMs(runs, [&] {
            w.healthPanel()->setSnapshot(snap, span);
            w.healthPanel()->grab();
        }));
        std::printf(" mixture_set=%.2f", medianMs(runs, [&] { w.mixtureChart()->setSnapshot(snap); }));
        std::printf(" mixture_draw=%.2f", medianMs(runs, [&] { w.mixtureChart()->grab(); }));
        std::printf(" window_draw=%.2f\n", medianMs(5, [&] { w.grab(); }));
    }
    w.shutdown();
    std::printf("train_click_to_first_update_ms=%.1f updates=%ld update_rate_hz=%.1f epochs=%ld "
                "epochs_per_second=%.0f timer_lateness_ms_p50=%.2f p99=%.2f max=%.2f samples=%zu\n",
                firstUpdateMs, updates, double(updates) / seconds, startEpoch,
                double(startEpoch) / seconds, percentile(lateness, 0.5), percentile(lateness, 0.99),
                percentile(lateness, 1.0), lateness.size());
    return 0;
}
