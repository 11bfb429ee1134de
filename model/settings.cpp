#include "settings.h"

#include "numparse.h"
#include "scale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mdn {

std::size_t Settings::validationPointsOf(std::size_t n) const
{
    // As splitIndices rounds it: never the whole set.
    const auto held = std::size_t(std::llround(double(n) * double(validationPercent) / 100.0));
    return n == 0 ? 0 : std::min(held, n - 1);
}

std::size_t Settings::batchFor(std::size_t trainPoints) const
{
    return Session::batchFor(std::size_t(batch), trainPoints);
}

bool Settings::operator==(const Settings &o) const
{
    for (const SettingSpec &s : settingsTable())
        if (s.get(*this) != s.get(o))
            return false;
    return true;
}

bool Settings::needsNewData(const Settings &before) const
{
    return generator != before.generator || fromFile != before.fromFile ||
           filePath != before.filePath || points != before.points || noise != before.noise ||
           seed != before.seed;
}

bool Settings::needsModelReset(const Settings &before) const
{
    // New data means new standardisation and a new problem: the old weights mean nothing.
    // A learning-rate change resets too: continuing with a different rate would mix two runs
    // in one loss curve. Another validation share is another training set.
    return needsNewData(before) || mseHidden != before.mseHidden || mdnHidden != before.mdnHidden ||
           mixtures != before.mixtures || optimizer != before.optimizer ||
           learningRate != before.learningRate || batch != before.batch ||
           validationPercent != before.validationPercent;
}

GeneratorSpec Settings::generatorSpec() const
{
    GeneratorSpec g;
    g.generator = generator;
    g.points = std::size_t(std::max(points, 0));
    g.noise = noise;
    g.seed = seed;
    return g;
}

SessionOptions Settings::sessionOptions() const
{
    SessionOptions o;
    o.validationPercent = double(validationPercent);
    o.splitSeed = seed;
    if (!fromFile) // a file's density is unknown
        o.generator = generatorSpec();
    return o;
}

TrainConfig Settings::modelConfig(ModelKind kind) const
{
    TrainConfig c = defaultConfig(kind);
    c.hidden = {kind == ModelKind::Mse ? mseHidden : mdnHidden};
    if (kind == ModelKind::Mdn)
        c.mixtures = mixtures;
    c.optimizer = optimizerDefaults(optimizer, learningRate);
    c.batch = std::size_t(std::max(batch, 0)); // the session switches large data to mini-batches
    c.seed = seed;
    return c;
}

std::vector<TrainConfig> Settings::modelConfigs() const
{
    return {modelConfig(ModelKind::Mse), modelConfig(ModelKind::Mdn)};
}

namespace {

using Type = SettingSpec::Type;

std::string exact(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::string rangeText(double lo, double hi)
{
    return "from " + formatNumber(lo) + " to " + formatNumber(hi);
}

// A number within [lo, hi], a whole one when `integer`.
bool readNumber(const std::string &text, double lo, double hi, bool integer, double &out, std::string &why)
{
    if (!parseNumber(text, out, why))
        return false;
    if (integer && out != std::floor(out)) {
        why = "expected a whole number " + rangeText(lo, hi);
        return false;
    }
    if (!(out >= lo && out <= hi)) {
        why = "expected a number " + rangeText(lo, hi);
        return false;
    }
    return true;
}

bool readBool(const std::string &text, bool &out, std::string &why)
{
    if (text == "true" || text == "1") {
        out = true;
        return true;
    }
    if (text == "false" || text == "0") {
        out = false;
        return true;
    }
    why = "expected true or false";
    return false;
}

template <typename T>
SettingSpec integer(const char *key, const char *option, const char *valueName, const char *help,
                    T Settings::*member, double lo, double hi, double interactiveMax = 0)
{
    SettingSpec s{key, option, valueName, help, Type::Integer, lo, hi, interactiveMax, {}, {}, {}};
    s.get = [member](const Settings &v) { return std::to_string(v.*member); };
    s.set = [member, lo, hi](Settings &v, const std::string &text, std::string &why) {
        // Digits alone are read exactly (a seed may need all 64 bits); anything else as a number
        // that must be whole ("1e6").
        if (!text.empty() && text.size() <= 19 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            const unsigned long long u = std::stoull(text);
            if (double(u) < lo || double(u) > hi) {
                why = "expected a whole number " + rangeText(lo, hi);
                return false;
            }
            v.*member = T(u);
            return true;
        }
        double d = 0;
        if (!readNumber(text, lo, hi, true, d, why))
            return false;
        v.*member = T(d);
        return true;
    };
    return s;
}

SettingSpec real(const char *key, const char *option, const char *valueName, const char *help,
                 double Settings::*member, double lo, double hi, double interactiveMax = 0)
{
    SettingSpec s{key, option, valueName, help, Type::Real, lo, hi, interactiveMax, {}, {}, {}};
    s.get = [member](const Settings &v) { return exact(v.*member); };
    s.set = [member, lo, hi](Settings &v, const std::string &text, std::string &why) {
        return readNumber(text, lo, hi, false, v.*member, why);
    };
    return s;
}

SettingSpec flag(const char *key, const char *help, bool Settings::*member)
{
    SettingSpec s{key, nullptr, nullptr, help, Type::Bool, 0, 1, 0, {}, {}, {}};
    s.get = [member](const Settings &v) { return std::string(v.*member ? "true" : "false"); };
    s.set = [member](Settings &v, const std::string &text, std::string &why) {
        return readBool(text, v.*member, why);
    };
    return s;
}

std::vector<SettingSpec> makeTable()
{
    std::vector<SettingSpec> t;

    SettingSpec generator{"generator", "dataset", "name",
                          "Built-in dataset: sinusoid, inverse-sinusoid, bishop, robot-arm (Bishop's "
                          "two-link arm: joint angles from the hand's position) or robot-arm-forward "
                          "(the position from the angles).",
                          Type::Choice, 0, 0, 0, {}, {}, {}};
    for (Generator g : allGenerators())
        generator.choices.push_back(generatorName(g));
    generator.get = [](const Settings &v) { return std::string(generatorName(v.generator)); };
    generator.set = [](Settings &v, const std::string &text, std::string &why) {
        const std::optional<Generator> g = generatorFromName(text);
        if (!g) {
            why = "expected sinusoid, inverse-sinusoid, bishop, robot-arm or robot-arm-forward";
            return false;
        }
        v.generator = *g;
        return true;
    };
    t.push_back(generator);
    t.push_back(flag("fromFile", "Train on the file in filePath instead of a generator.", &Settings::fromFile));
    SettingSpec path{"filePath", nullptr, nullptr, "The CSV file trained on when fromFile is true.",
                     Type::Text, 0, 0, 0, {}, {}, {}};
    path.get = [](const Settings &v) { return v.filePath; };
    path.set = [](Settings &v, const std::string &text, std::string &) {
        v.filePath = text;
        return true;
    };
    t.push_back(path);
    t.push_back(integer("points", "points", "N", "Number of generated points.",
                        &Settings::points, 1, 50'000'000, 1'000'000));
    t.push_back(real("noise", "noise", "SD",
                     "Noise of the generator: the standard deviation for the sinusoids and of each "
                     "observed hand coordinate for the robot arm, the half-width of the uniform term "
                     "for bishop (default: the dataset's own, 1.0 for the sinusoids, 0.1 for bishop, "
                     "0 for the robot arm).",
                     &Settings::noise, 0.0, 1e6, 10.0));
    t.push_back(integer("seed", "seed", "S", "Random seed of the data, the weights and the samples.",
                        &Settings::seed, 0, 4e18, 2147483647));
    t.push_back(integer("mseHidden", "mse-hidden", "H", "Hidden tanh units of the MSE net.",
                        &Settings::mseHidden, 1, 4096, 512));
    t.push_back(integer("mdnHidden", "hidden", "H", "Hidden tanh units of the MDN.",
                        &Settings::mdnHidden, 1, 4096, 512));
    t.push_back(integer("mixtures", "mixtures", "K", "Mixture components K of the MDN.",
                        &Settings::mixtures, 1, 256, 64));
    SettingSpec optimizer{"optimizer", "optimizer", "name", "adam, rmsprop or sgd.",
                          Type::Choice, 0, 0, 0, {"adam", "rmsprop", "sgd"}, {}, {}};
    optimizer.get = [](const Settings &v) { return std::string(optimizerName(v.optimizer)); };
    optimizer.set = [](Settings &v, const std::string &text, std::string &why) {
        const std::optional<OptimizerKind> k = optimizerFromName(text);
        if (!k) {
            why = "expected adam, rmsprop or sgd";
            return false;
        }
        v.optimizer = *k;
        return true;
    };
    t.push_back(optimizer);
    t.push_back(real("learningRate", "lr", "LR",
                     "Learning rate; the data are standardised internally.",
                     &Settings::learningRate, 1e-12, 1e12, 10.0));
    t.push_back(integer("batch", "batch", "B", "Mini-batch size; 0 = full batch.", &Settings::batch,
                        0, 50'000'000, 1'000'000));
    t.push_back(integer("epochLimit", "epochs", "E",
                        "Training epochs: the command line trains this many, the window pauses there; "
                        "0: no limit.",
                        &Settings::epochLimit, 0, 100'000'000, 10'000'000));
    t.push_back(integer("validationPercent", "validation", "P",
                        "Percentage of the data held out of training to measure generalisation, drawn "
                        "with the seed; 0: none.",
                        &Settings::validationPercent, 0, 90, 50));
    t.push_back(integer("samplesPerX", "samples-per-x", "S", "Samples drawn per x.",
                        &Settings::samplesPerX, 1, 1000, 100));
    t.push_back(real("piTemperature", "pi-temperature", "T",
                     "Sampling temperature of the mixing weights.", &Settings::piTemperature,
                     0.0, 100.0, 10.0));
    t.push_back(real("sigmaTemperature", "sigma-temperature", "T",
                     "Sampling temperature of the widths.", &Settings::sigmaTemperature, 0.0,
                     100.0, 10.0));
    t.push_back(flag("showDensity", "Draw p(y|x) as a colour image behind the data.", &Settings::showDensity));
    t.push_back(flag("densityLogScale", "Colour the density by log p.", &Settings::densityLogScale));
    t.push_back(flag("showData", "Draw the data points.", &Settings::showData));
    t.push_back(flag("showSamples", "Draw the MDN's samples.", &Settings::showSamples));
    t.push_back(flag("showMean", "Draw the conditional mean E[y|x].", &Settings::showMean));
    t.push_back(flag("showMode", "Draw the approximate conditional mode.", &Settings::showMode));
    t.push_back(flag("showBands", "Draw each component's mean +-1 sigma.", &Settings::showBands));
    return t;
}

} // namespace

const std::vector<SettingSpec> &settingsTable()
{
    static const std::vector<SettingSpec> table = makeTable();
    return table;
}

const SettingSpec &settingSpec(const std::string &key)
{
    for (const SettingSpec &s : settingsTable())
        if (key == s.key)
            return s;
    throw std::out_of_range("no setting is called " + key);
}

const SettingSpec *settingForOption(const std::string &option)
{
    for (const SettingSpec &s : settingsTable())
        if (s.option && option == s.option)
            return &s;
    return nullptr;
}

} // namespace mdn
