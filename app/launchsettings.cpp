#include "launchsettings.h"

#include "presetstore.h"

#include <QCommandLineParser>

#include <algorithm>

namespace mdnviz {

Settings withCommandLine(Settings s, const QCommandLineParser &p, const Options &o)
{
    // A preset first, then the options given explicitly on top (readOptions checked the name).
    if (!o.presetName.isEmpty())
        if (const std::optional<mdn::Preset> preset = findPreset(o.presetName))
            s = mdn::applyPreset(s, *preset);
    const mdn::Generator storedGenerator = s.generator;
    const int storedPoints = s.points;
    // Each setting given on the command line, as readOptions read it (o.settings), kept within
    // the window's range.
    for (const mdn::SettingSpec &spec : mdn::settingsTable()) {
        if (!spec.option || !p.isSet(QLatin1String(spec.option)))
            continue;
        std::string why;
        spec.set(s, spec.get(o.settings), why);
    }
    const mdn::SettingSpec &points = mdn::settingSpec("points"), &batch = mdn::settingSpec("batch");
    s.points = std::min(s.points, int(points.windowMax()));
    s.batch = std::min(s.batch, int(batch.windowMax()));
    s.epochLimit = std::min(s.epochLimit, long(mdn::settingSpec("epochLimit").windowMax()));
    if (p.isSet(QStringLiteral("dataset")))
        s.fromFile = false;
    // Another generator brings its own noise (as choosing it in the dock does).
    if (p.isSet(QStringLiteral("dataset")) || p.isSet(QStringLiteral("noise")))
        s.noise = o.settings.noise;
    // And its own number of points, unless --points is given or the stored number is not the
    // default of the generator stored.
    if (p.isSet(QStringLiteral("dataset")) && !p.isSet(QStringLiteral("points")) &&
        storedPoints == int(mdn::defaultPoints(storedGenerator)))
        s.points = int(mdn::defaultPoints(o.settings.generator));
    return s;
}

QStringList headlessOnlyOptions(const QCommandLineParser &p)
{
    QStringList given;
    for (const char *name : {"model", "eval", "report", "save-data", "export-samples", "export-png",
                             "export-dir", "size", "max-rows", "save-session"})
        if (p.isSet(QLatin1String(name)))
            given << QStringLiteral("--") + QLatin1String(name);
    return given;
}

} // namespace mdnviz
