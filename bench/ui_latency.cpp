// GUI responsiveness while training runs flat out with live charts: the lateness of a 10 ms
// timer on the GUI thread (p50, p99, max), and the time from a Train click to the first chart
// update. Runs the real main window (offscreen unless a display is set).
//
// With --breakdown, the GUI thread's cost per view is printed too: after the measurement,
// training is paused and each view repainted 30 times (median ms).
//
// With --switch-tabs, the window's tabs are switched every 300 ms during the measurement, as a
// person comparing the fits and the mixture parameters does.
//
// With --dataset NAME the window trains on that generator's data (default: the window's own).
// With --drag-target (data of two inputs and two targets, e.g. --dataset robot-arm), the Arm
// tab is shown and its target dragged round a circle in the workspace at 60 moves a second,
// as a person exploring the arm does: every move asks both models about the new target and
// repaints the workspace and the joint plane.
//
// With --runs N, the window compares N MDN runs (the settings' own and N - 1 more, of other
// model seeds) and shows its Compare tab; with --switch-tabs too, the tabs switched are the
// fits' and the comparison's.
//
// Usage: ui_latency [--seconds S] [--points N] [--dataset NAME] [--breakdown] [--switch-tabs]
//                   [--drag-target] [--runs N]

#include "armviews.h"
#include "datachart.h"
#include "healthpanel.h"
#include "losschart.h"
#include "mainwindow.h"
#include "mixturechart.h"
#include "settings.h"
#include "slicechart.h"
#include "snapshot.h"
#include "sweep.h"
#include "trainer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QTabWidget>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <cstdio>
#include <optional>
#include <vector>

using namespace mdnviz;

namespace {

// CPU seconds the calling thread has used: on a loaded machine a late timer is either the
// GUI thread working or the GUI thread waiting for a core, and this tells them apart.
double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

double loadAverage()
{
    double load[1] = {0.0};
    return getloadavg(load, 1) == 1 ? load[0] : -1.0;
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
    int compareRuns = 1;
    bool breakdown = false, switchTabs = false, dragTarget = false;
    QString dataset;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == "--breakdown")
            breakdown = true;
        else if (args[i] == "--switch-tabs")
            switchTabs = true;
        else if (args[i] == "--drag-target")
            dragTarget = true;
        else if (i + 1 == args.size())
            break;
        else if (args[i] == "--seconds")
            seconds = args[i + 1].toDouble();
        else if (args[i] == "--points")
            points = args[i + 1].toInt();
        else if (args[i] == "--dataset")
            dataset = args[i + 1];
        else if (args[i] == "--runs")
            compareRuns = std::max(1, args[i + 1].toInt());
    }

    mdnviz::MainWindow w(false);
    w.resize(1280, 800);
    w.show();
    mdnviz::Settings s = w.settings();
    s.epochLimit = 0; // flat out for the whole measurement
    s.points = points;
    if (!dataset.isEmpty()) {
        const std::optional<mdn::Generator> g = mdn::generatorFromName(dataset.toStdString());
        if (!g) {
            std::fprintf(stderr, "ui_latency: unknown dataset %s\n", qPrintable(dataset));
            return 2;
        }
        s.generator = *g;
        s.noise = mdn::defaultNoise(*g);
    }
    w.applySettings(s);
    if (compareRuns > 1) {
        std::vector<mdn::RunChange> more;
        for (int k = 1; k < compareRuns; ++k)
            more.push_back({{"seed", std::to_string(s.seed + std::uint64_t(k))}});
        w.addRuns(more);
    }
    if (dragTarget && !w.tabs()->isTabVisible(w.planesTab())) {
        std::fprintf(stderr, "ui_latency: --drag-target needs data of two inputs and two targets\n");
        return 2;
    }

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
    // The GUI thread's own work between two ticks: the lateness it causes on an idle machine.
    std::vector<double> busy;
    double cpuAtTick = 0.0;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        lateness.push_back(std::max(0.0, double(sinceTick.nsecsElapsed()) * 1e-6 - 10.0));
        sinceTick.restart();
        const double cpu = threadCpuSeconds();
        busy.push_back(1e3 * (cpu - cpuAtTick));
        cpuAtTick = cpu;
    });

    double guiCpuStart = 0.0, guiCpu = 0.0;
    QTimer tabs;
    long switches = 0;
    QObject::connect(&tabs, &QTimer::timeout, [&] {
        const int other = compareRuns > 1 ? w.compareTab() : 1;
        w.tabs()->setCurrentIndex(w.tabs()->currentIndex() == 0 ? other : 0);
        ++switches;
    });

    // The target's path: a circle through the middle of the arm's reach, at 60 moves a second.
    QTimer drag;
    long moves = 0;
    WorkspaceView *workspace = w.workspaceView();
    const auto sendMouse = [&](QEvent::Type type, double phase) {
        const QPointF at = workspace->positionOf(QPointF(0.45 + 0.25 * std::cos(phase), 0.45 + 0.25 * std::sin(phase)));
        QMouseEvent e(type, at, workspace->mapToGlobal(at), Qt::LeftButton,
                      type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(workspace, &e);
    };
    QObject::connect(&drag, &QTimer::timeout, [&] {
        ++moves;
        sendMouse(QEvent::MouseMove, 0.05 * double(moves));
    });

    // Let the window settle, then press Train and measure.
    QTimer::singleShot(500, [&] {
        clock.start();
        guiCpuStart = cpuAtTick = threadCpuSeconds();
        if (compareRuns > 1)
            w.tabs()->setCurrentIndex(w.compareTab());
        w.train();
        sinceTick.start();
        tick.start(10);
        if (switchTabs)
            tabs.start(300);
        if (dragTarget) {
            w.tabs()->setCurrentIndex(w.planesTab());
            sendMouse(QEvent::MouseButtonPress, 0.0);
            drag.start(16);
        }
    });
    long startEpoch = 0;
    QTimer::singleShot(int(500 + seconds * 1000), [&] {
        tick.stop();
        tabs.stop();
        if (dragTarget) {
            drag.stop();
            sendMouse(QEvent::MouseButtonRelease, 0.05 * double(moves));
        }
        guiCpu = threadCpuSeconds() - guiCpuStart;
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
        std::printf(" window_draw=%.2f", medianMs(5, [&] { w.grab(); }));
        // A tab switch: the other tab laid out, brought up to date and drawn.
        std::printf(" tab_switch=%.2f\n", medianMs(10, [&] {
            w.tabs()->setCurrentIndex(1 - w.tabs()->currentIndex());
            QApplication::processEvents();
            w.tabs()->currentWidget()->grab();
        }));
    }
    w.shutdown();
    std::printf("train_click_to_first_update_ms=%.1f updates=%ld update_rate_hz=%.1f epochs=%ld "
                "epochs_per_second=%.0f timer_lateness_ms_p50=%.2f p99=%.2f max=%.2f samples=%zu "
                "tab_switches=%ld target_moves=%ld gui_thread_busy=%.0f%% gui_work_between_ticks_ms_p99=%.2f max=%.2f "
                "load1=%.1f\n",
                firstUpdateMs, updates, double(updates) / seconds, startEpoch,
                double(startEpoch) / seconds, percentile(lateness, 0.5), percentile(lateness, 0.99),
                percentile(lateness, 1.0), lateness.size(), switches, moves, 100.0 * guiCpu / seconds,
                percentile(busy, 0.99), percentile(busy, 1.0), loadAverage());
    return 0;
}
