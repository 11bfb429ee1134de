#include "presets.h"

#include "numparse.h"

#include <charconv>
#include <functional>
#include <stdexcept>

namespace mdn {

const std::vector<std::string> &presetKeys()
{
    static const std::vector<std::string> keys = {
        "generator", "fromFile",   "points",           "noise",     "seed",
        "mseHidden", "mdnHidden",  "mixtures",         "optimizer", "learningRate",
        "batch",     "epochLimit", "validationPercent"};
    return keys;
}

namespace {

// The shortest text that reads back as exactly `v` ("0.1", not the table's "0.10000000000000001"):
// people read presets. to_chars does not depend on the locale.
std::string shortest(double v)
{
    char buf[32];
    const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

} // namespace

std::vector<std::pair<std::string, std::string>> presetValuesOf(const Settings &settings)
{
    std::vector<std::pair<std::string, std::string>> values;
    for (const std::string &key : presetKeys()) {
        const SettingSpec &spec = settingSpec(key);
        std::string text = spec.get(settings);
        double v = 0;
        std::string why;
        if (spec.type == SettingSpec::Type::Real && parseNumber(text, v, why))
            text = shortest(v);
        values.emplace_back(key, text);
    }
    return values;
}

namespace {

// A preset that sets every key: mdnviz's defaults for `generator` (its own noise and number of
// points, as choosing it in the dock gives), then `edit`'s changes.
Preset preset(std::string name, std::string title, std::string source, Generator generator,
              const std::function<void(Settings &)> &edit)
{
    Settings s;
    s.generator = generator;
    s.noise = defaultNoise(generator);
    s.points = int(defaultPoints(generator));
    edit(s);
    return {std::move(name), std::move(title), std::move(source), presetValuesOf(s)};
}

std::vector<Preset> makeBuiltIns()
{
    std::vector<Preset> p;
    p.push_back(
        preset("mdnviz", "mdnviz defaults",
               "mdnviz's own defaults: 4,000 inverse-sinusoid points, MSE net 20 and MDN 24 "
               "tanh hidden units, K = 10, Adam lr 0.01, 3,000 full-batch epochs.",
               Generator::InverseSinusoid, [](Settings &) {}));
    p.push_back(
        preset("ha-2015-blog", "Ha 2015: Mixture Density Networks (blog)",
               "Ha, \"Mixture Density Networks\" (blog.otoro.net, June 2015): inverse "
               "sinusoid data; the MSE net has 5 tanh hidden units; the post finds that more "
               "than about 5 components work, so K = 6, the fewest it says work. The post "
               "gives no other values: the rest are mdnviz's defaults (4,000 points, MDN 24 "
               "hidden units, Adam lr 0.01, 3,000 epochs).",
               Generator::InverseSinusoid, [](Settings &s) {
                   s.mseHidden = 5;
                   s.mixtures = 6;
               }));
    p.push_back(
        preset("ha-2015-tensorflow", "Ha 2015: Mixture Density Networks with TensorFlow",
               "Ha, \"Mixture Density Networks with TensorFlow\" (blog.otoro.net, November "
               "2015): MDN 1 → 24 tanh → 72 (K = 24), Adam lr 0.001, 10,000 full-batch "
               "epochs on 2,500 inverse-sinusoid points; MSE net 1 → 20 tanh → 1. mdnviz "
               "trains both nets on one dataset with one optimizer, so the MSE net here also "
               "uses Adam lr 0.001 for 10,000 epochs on the 2,500 inverse points (the "
               "write-up: RMSProp lr 0.1, decay 0.8, 1,000 iterations on 1,000 forward "
               "points). Also unlike the write-up, mdnviz standardises the data, initialises "
               "the weights its own way and holds 20% of the points out for validation "
               "(training on 2,000).",
               Generator::InverseSinusoid, [](Settings &s) {
                   s.points = 2500;
                   s.mseHidden = 20;
                   s.mdnHidden = 24;
                   s.mixtures = 24;
                   s.optimizer = OptimizerKind::Adam;
                   s.learningRate = 0.001;
                   s.epochLimit = 10000;
               }));
    // The network sizes are PRML's (figs. 5.19 and 5.21), the toy problem's own in both texts
    // as far as they are checked here: the two presets differ in their source only.
    const auto bishopToy = [](Settings &s) {
        s.points = 1000;
        s.noise = 0.1;
        s.mseHidden = 6;
        s.mdnHidden = 5;
        s.mixtures = 3;
    };
    p.push_back(
        preset("bishop-1994-toy", "Bishop 1994: toy inverse problem",
               "Bishop, \"Mixture Density Networks\" (NCRG/94/004, 1994), the toy inverse "
               "problem: t ~ U(0, 1), x = t + 0.3 sin(2πt) + U(−0.1, 0.1), 1,000 points; an "
               "MDN with K = 3 and 5 tanh hidden units, an MSE net with 6 (the sizes of PRML "
               "figs. 5.19 and 5.21). Bishop's training is not reproduced: mdnviz's Adam lr "
               "0.01 for 3,000 epochs, 20% of the points held out.",
               Generator::Bishop, bishopToy));
    p.push_back(
        preset("bishop-prml-5-21", "Bishop PRML fig. 5.21",
               "Bishop, Pattern Recognition and Machine Learning (2006), §5.6: the toy "
               "inverse problem of fig. 5.19 (1,000 points, uniform noise of half width 0.1; "
               "MSE net with 6 tanh hidden units) and the MDN of fig. 5.21 (5 tanh hidden "
               "units, K = 3). Training: mdnviz's Adam lr 0.01 for 3,000 epochs, 20% of the "
               "points held out.",
               Generator::Bishop, bishopToy));
    p.push_back(
        preset("bishop-1994-robot-arm", "Bishop 1994: robot arm",
               "Bishop, \"Mixture Density Networks\" (NCRG/94/004, 1994): the two-link arm's "
               "inverse kinematics, noise-free; with mdnviz's measured settings for it: "
               "10,000 points, MDN 24 tanh hidden units, K = 10, MSE net 20, Adam lr 0.01, "
               "3,000 epochs. Bishop's own 1,000 points need lr 0.003 and 6,000 epochs "
               "here.",
               Generator::RobotArm, [](Settings &s) {
                   s.points = 10000;
                   s.noise = 0.0;
                   s.mdnHidden = 24;
                   s.mixtures = 10;
                   s.optimizer = OptimizerKind::Adam;
                   s.learningRate = 0.01;
                   s.epochLimit = 3000;
               }));
    return p;
}

} // namespace

const std::vector<Preset> &builtInPresets()
{
    static const std::vector<Preset> presets = makeBuiltIns();
    return presets;
}

const Preset *builtInPreset(const std::string &name)
{
    for (const Preset &p : builtInPresets())
        if (p.name == name)
            return &p;
    return nullptr;
}

Settings applyPreset(const Settings &base, const Preset &preset)
{
    Settings s = base;
    for (const auto &[key, value] : preset.values) {
        const SettingSpec *spec = nullptr;
        try {
            spec = &settingSpec(key);
        } catch (const std::out_of_range &) {
            throw std::invalid_argument("preset " + preset.name + ": no setting is called " + key);
        }
        std::string why;
        if (!spec->set(s, value, why))
            throw std::invalid_argument("preset " + preset.name + ": " + key + " " + value + ": " +
                                        why);
    }
    return s;
}

} // namespace mdn
