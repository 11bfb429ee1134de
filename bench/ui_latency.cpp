// GUI responsiveness while training runs flat out with live charts: the lateness of a 10 ms
// timer on the GUI thread (p50, p99, max), and the time from a Train click to the first chart
// update. Runs the real main window (offscreen unless a display is set).
//
// Usage: ui_latency [--seconds S] [--points N]

#include "mainwindow.h"
#include "settings.h"

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

} // namespace

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM") && !qEnvironmentVariableIsSet("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    double seconds = 5.0;
    int points = 1000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == "--seconds")
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
    w.shutdown();
    std::printf("train_click_to_first_update_ms=%.1f updates=%ld update_rate_hz=%.1f epochs=%ld "
                "epochs_per_second=%.0f timer_lateness_ms_p50=%.2f p99=%.2f max=%.2f samples=%zu\n",
                firstUpdateMs, updates, double(updates) / seconds, startEpoch,
                double(startEpoch) / seconds, percentile(lateness, 0.5), percentile(lateness, 0.99),
                percentile(lateness, 1.0), lateness.size());
    return 0;
}
