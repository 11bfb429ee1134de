#pragma once
// Presets: named sets of settings that reproduce published experiments (and mdnviz's own
// defaults). A preset names its values by settings key, as text the settings table parses, so
// that it is checked by the same rules as the command line and stored preferences. Plain C++:
// no Qt.

#include "settings.h"

#include <string>
#include <utility>
#include <vector>

namespace mdn {

struct Preset {
    std::string name;   // the command line's --preset NAME: "bishop-prml-5-21"
    std::string title;  // the menu's text
    std::string source; // where the values come from, and where they differ from it
    std::vector<std::pair<std::string, std::string>> values; // settings key, value as text
};

// The keys a preset sets: the data (a generator, never a file), the models and their training.
// The views (samples, temperatures, what is drawn) are left as they are.
const std::vector<std::string> &presetKeys();

// The built-in presets, each setting every key of presetKeys().
const std::vector<Preset> &builtInPresets();
// The built-in preset called `name`, or null.
const Preset *builtInPreset(const std::string &name);

// `base` with the preset's values set; throws std::invalid_argument naming the preset, the key
// and the value when a key is unknown or a value does not parse or is out of range.
Settings applyPreset(const Settings &base, const Preset &preset);

// The values of presetKeys() in `settings`, as a preset holds them.
std::vector<std::pair<std::string, std::string>> presetValuesOf(const Settings &settings);

} // namespace mdn
