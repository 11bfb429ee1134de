#include "presetstore.h"

#include <QSettings>

namespace mdnviz {

namespace {

const QString kGroup = QStringLiteral("presets");

} // namespace

std::vector<mdn::Preset> userPresets()
{
    QSettings stored;
    stored.beginGroup(kGroup);
    std::vector<mdn::Preset> presets;
    for (const QString &name : stored.childGroups()) {
        // A built-in's name cannot be saved, but the file may have been edited by hand.
        if (mdn::builtInPreset(name.toStdString()))
            continue;
        mdn::Preset p;
        p.name = name.toStdString();
        p.title = p.name;
        p.source = "Saved in this program's preferences.";
        stored.beginGroup(name);
        for (const QString &key : stored.childKeys())
            p.values.emplace_back(key.toStdString(), stored.value(key).toString().toStdString());
        stored.endGroup();
        presets.push_back(std::move(p));
    }
    return presets;
}

std::optional<mdn::Preset> findPreset(const QString &name)
{
    if (const mdn::Preset *p = mdn::builtInPreset(name.toStdString()))
        return *p;
    for (mdn::Preset &p : userPresets())
        if (p.name == name.toStdString())
            return std::move(p);
    return std::nullopt;
}

QStringList presetNames()
{
    QStringList names;
    for (const mdn::Preset &p : mdn::builtInPresets())
        names << QString::fromStdString(p.name);
    for (const mdn::Preset &p : userPresets())
        names << QString::fromStdString(p.name);
    return names;
}

bool saveUserPreset(const QString &name, const Settings &settings, QString &error)
{
    if (name.trimmed().isEmpty()) {
        error = QStringLiteral("A preset needs a name");
        return false;
    }
    if (name != name.trimmed() || name.contains(QLatin1Char('/')) ||
        name.contains(QLatin1Char('\\'))) {
        error = QStringLiteral(
                    "A preset's name cannot begin or end with a space or contain / or \\: %1")
                    .arg(name);
        return false;
    }
    if (mdn::builtInPreset(name.toStdString())) {
        error = QStringLiteral("%1 is a built-in preset: choose another name").arg(name);
        return false;
    }
    // The generator's settings stay in the dock while a file is shown: a preset keeps those.
    Settings generated = settings;
    generated.fromFile = false;
    const std::vector<std::pair<std::string, std::string>> values = mdn::presetValuesOf(generated);
    {
        QSettings stored;
        stored.beginGroup(kGroup);
        stored.remove(name); // keys of an older version of the preset go too
        stored.beginGroup(name);
        for (const auto &[key, value] : values)
            stored.setValue(QString::fromStdString(key), QString::fromStdString(value));
    }
    // Checked by reading it back: QSettings::status() reported an access error on the sync that
    // created its file, though the file was written (Qt 6.4).
    const std::optional<mdn::Preset> saved = findPreset(name);
    if (!saved || saved->values.size() != values.size()) {
        error =
            QStringLiteral("Could not save the preset %1 in %2").arg(name, QSettings().fileName());
        return false;
    }
    return true;
}

bool deleteUserPreset(const QString &name, QString &error)
{
    if (mdn::builtInPreset(name.toStdString())) {
        error = QStringLiteral("%1 is a built-in preset and cannot be deleted").arg(name);
        return false;
    }
    QSettings stored;
    stored.beginGroup(kGroup);
    if (!stored.childGroups().contains(name)) {
        error = QStringLiteral("There is no saved preset called %1").arg(name);
        return false;
    }
    stored.remove(name);
    return true;
}

} // namespace mdnviz
