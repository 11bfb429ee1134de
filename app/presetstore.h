#pragma once
// The person's own presets, kept in the stored preferences (QSettings group "presets/<name>",
// one value per settings key) beside the built-in ones (mdn::builtInPresets), which cannot be
// overwritten or deleted.

#include "presets.h"
#include "settings.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace mdnviz {

// The saved presets, by name.
std::vector<mdn::Preset> userPresets();
// A built-in preset, else a saved one, called `name`.
std::optional<mdn::Preset> findPreset(const QString &name);
// Every preset's name: the built-in ones, then the saved ones.
QStringList presetNames();

// Saves the preset keys (mdn::presetKeys) of `settings` as `name` (with the generator's data,
// not a file's), replacing a saved preset of that name; false with `error` when the name is empty,
// has a '/' or '\', or is a built-in's.
bool saveUserPreset(const QString &name, const Settings &settings, QString &error);
// False with `error` for a built-in preset or a name that has no saved preset.
bool deleteUserPreset(const QString &name, QString &error);

} // namespace mdnviz
