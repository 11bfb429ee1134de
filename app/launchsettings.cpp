#include "launchsettings.h"

#include <QCommandLineParser>

#include <algorithm>

namespace mdnviz {

Settings withCommandLine(Settings s, const QCommandLineParser &p, const Options &o)
{
    const auto set = [&p](const char *name) { return p.isSet(QLatin1String(name)); };
    if (set("dataset")) {
        s.generator = o.generator.generator;
        s.fromFile = false;
    }
    // Another generator brings its own noise (as choosing it in the dock does).
    if (set("dataset") || set("noise"))
        s.noise = o.generator.noise;
    if (set("points"))
        s.points = int(std::min<std::size_t>(o.generator.points, 1'000'000));
    if (set("seed"))
        s.seed = o.generator.seed;
    if (set("mse-hidden"))
        s.mseHidden = o.mse.hidden.front();
    if (set("hidden"))
        s.mdnHidden = o.mdn.hidden.front();
    if (set("mixtures"))
        s.mixtures = o.mdn.mixtures;
    if (set("optimizer"))
        s.optimizer = o.mdn.optimizer.kind;
    if (set("lr"))
        s.learningRate = o.mdn.optimizer.learningRate;
    if (set("batch"))
        s.batch = int(std::min<std::size_t>(o.mdn.batch, 1'000'000));
    if (set("epochs"))
        s.epochLimit = o.epochs;
    if (set("validation"))
        s.validationPercent = int(o.validationPercent + 0.5);
    if (set("samples-per-x"))
        s.samplesPerX = o.samplesPerX;
    if (set("pi-temperature"))
        s.piTemperature = o.piTemperature;
    if (set("sigma-temperature"))
        s.sigmaTemperature = o.sigmaTemperature;
    return s;
}

QStringList headlessOnlyOptions(const QCommandLineParser &p)
{
    QStringList given;
    for (const char *name : {"model", "eval", "report", "save-data", "export-samples", "export-png",
                             "export-dir", "size", "max-rows"})
        if (p.isSet(QLatin1String(name)))
            given << QStringLiteral("--") + QLatin1String(name);
    return given;
}

} // namespace mdnviz
