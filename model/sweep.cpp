#include "sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace mdn {

namespace {

// The settings table's key of each sweepable command-line name.
const SettingSpec *sweptSpec(const std::string &parameter)
{
    const std::vector<std::string> &names = sweepableParameters();
    if (std::find(names.begin(), names.end(), parameter) == names.end())
        return nullptr;
    return settingForOption(parameter);
}

std::string trimmed(const std::string &s)
{
    const std::size_t a = s.find_first_not_of(" \t");
    if (a == std::string::npos)
        return {};
    return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

double nan() { return std::numeric_limits<double>::quiet_NaN(); }

} // namespace

const std::vector<std::string> &sweepableParameters()
{
    static const std::vector<std::string> names = {"mixtures", "hidden", "mse-hidden", "lr",
                                                   "batch",    "seed",   "optimizer"};
    return names;
}

bool parseSweep(const std::string &text, SweepSpec &out, std::string &why)
{
    const std::size_t eq = text.find('=');
    const std::string name = trimmed(text.substr(0, eq));
    std::string names;
    for (const std::string &n : sweepableParameters())
        names += (names.empty() ? "" : ", ") + n;
    const SettingSpec *spec = sweptSpec(name);
    if (!spec) {
        why = "'" + name + "' cannot be swept; expected NAME=V1,V2,... with NAME one of " + names;
        return false;
    }
    if (eq == std::string::npos || trimmed(text.substr(eq + 1)).empty()) {
        why = "no values; expected " + name + "=V1,V2,...";
        return false;
    }
    SweepSpec s;
    s.parameter = name;
    std::stringstream list(text.substr(eq + 1));
    std::string value;
    while (std::getline(list, value, ',')) {
        value = trimmed(value);
        Settings probe;
        std::string bad;
        if (value.empty()) {
            why = name + ": a value is empty";
            return false;
        }
        if (!spec->set(probe, value, bad)) {
            why = name + " " + value + ": " + bad;
            return false;
        }
        // The same value twice, however written (1e-2 and 0.01), would be one run compared with
        // itself.
        const std::string canonical = spec->get(probe);
        for (const std::string &seen : s.values) {
            Settings other;
            spec->set(other, seen, bad);
            if (spec->get(other) == canonical) {
                why = name + ": the value " + value + " is given twice";
                return false;
            }
        }
        s.values.push_back(value);
    }
    if (text.back() == ',') {
        why = name + ": a value is empty";
        return false;
    }
    if (s.values.size() > kMaxSweepValues) {
        why = name + ": " + std::to_string(s.values.size()) + " values; at most " + std::to_string(kMaxSweepValues);
        return false;
    }
    s.seeds = out.seeds;
    out = s;
    return true;
}

ModelKind sweepKind(const SweepSpec &spec)
{
    return spec.parameter == "mse-hidden" ? ModelKind::Mse : ModelKind::Mdn;
}

std::vector<SweepRun> sweepRuns(const Settings &base, const SweepSpec &spec)
{
    const SettingSpec &setting = *sweptSpec(spec.parameter);
    std::vector<SweepRun> runs;
    for (const std::string &value : spec.values) {
        Settings s = base;
        std::string why;
        setting.set(s, value, why);
        for (int k = 0; k < spec.seeds; ++k) {
            // Only the model's seed moves: the data and the split are the session's.
            TrainConfig c = s.modelConfig(sweepKind(spec));
            c.seed = s.seed + std::uint64_t(k);
            runs.push_back({value, c.seed, c});
        }
    }
    return runs;
}

std::vector<SweepRow> sweepRows(const Session &session, const std::vector<SweepRun> &runs, std::size_t first)
{
    std::vector<SweepRow> rows;
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::size_t r = first + i;
        const Trainer &t = session.trainer(r);
        const RunHistory &h = session.history(r);
        SweepRow row;
        row.value = runs[i].value;
        row.seed = runs[i].seed;
        row.trainLoss = t.lastLoss();
        // The last epoch is scored when training reached its end (see Session::train).
        row.validation = !h.validation.empty() && h.validation.back().epoch == t.epoch() ? h.validation.back().value
                                                                                        : nan();
        row.bestEpoch = session.bestEpoch(r);
        row.bestValidation = session.bestValidation(r);
        row.epochs = t.epoch();
        row.seconds = h.seconds;
        rows.push_back(row);
    }
    return rows;
}

std::vector<SweepSummary> summariseSweep(const std::vector<SweepRow> &rows, const std::vector<std::string> &values)
{
    std::vector<SweepSummary> out;
    for (const std::string &value : values) {
        SweepSummary s;
        s.value = value;
        struct Stat {
            double sum = 0.0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
            std::size_t n = 0;
            void add(double v)
            {
                if (!std::isfinite(v))
                    return;
                sum += v;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
                ++n;
            }
            double mean() const { return n ? sum / double(n) : nan(); }
            double min() const { return n ? lo : nan(); }
            double max() const { return n ? hi : nan(); }
        } validation, best, train;
        for (const SweepRow &r : rows) {
            if (r.value != value)
                continue;
            ++s.runs;
            validation.add(r.validation);
            best.add(r.bestValidation);
            train.add(r.trainLoss);
        }
        s.meanValidation = validation.mean();
        s.minValidation = validation.min();
        s.maxValidation = validation.max();
        s.meanBestValidation = best.mean();
        s.minBestValidation = best.min();
        s.maxBestValidation = best.max();
        s.meanTrainLoss = train.mean();
        out.push_back(s);
    }
    return out;
}

std::optional<std::size_t> bestRow(const std::vector<SweepRow> &rows, bool byBestValidation)
{
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double v = byBestValidation ? rows[i].bestValidation : rows[i].validation;
        const double b = best ? (byBestValidation ? rows[*best].bestValidation : rows[*best].validation) : 0.0;
        if (std::isfinite(v) && (!best || v < b))
            best = i;
    }
    return best;
}

std::string sweepCsv(const std::string &parameter, const std::vector<SweepRow> &rows)
{
    const auto number = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.10g", v);
        return std::isfinite(v) ? std::string(buf) : std::string();
    };
    std::string out = parameter + ",seed,train_loss,validation_loss,best_epoch,best_validation_loss,epochs,seconds\n";
    for (const SweepRow &r : rows) {
        // Values are numbers or plain names (the settings table takes nothing else).
        out += r.value + "," + std::to_string(r.seed) + "," + number(r.trainLoss) + "," + number(r.validation) +
               "," + (r.bestEpoch >= 0 ? std::to_string(r.bestEpoch) : std::string()) + "," +
               number(r.bestValidation) + "," + std::to_string(r.epochs) + "," + number(r.seconds) + "\n";
    }
    return out;
}

const int kAutoMixtures[5] = {1, 2, 3, 5, 10};
const int kAutoHidden[2] = {12, 24};

bool applyChange(const Settings &base, const RunChange &change, TrainConfig &out, std::string &why)
{
    Settings s = base;
    for (const auto &[name, value] : change) {
        const SettingSpec *setting = name == "mse-hidden" ? nullptr : sweptSpec(name);
        if (!setting) {
            why = "'" + name + "' is not a setting a comparison can change";
            return false;
        }
        std::string reason;
        if (!setting->set(s, value, reason)) {
            why = name + ": " + reason;
            return false;
        }
    }
    out = s.modelConfig(ModelKind::Mdn);
    return true;
}

RunChange changeBetween(const TrainConfig &reference, const TrainConfig &run)
{
    RunChange change;
    if (run.mixtures != reference.mixtures)
        change.emplace_back("mixtures", std::to_string(run.mixtures));
    if (run.hidden != reference.hidden && run.hidden.size() == 1)
        change.emplace_back("hidden", std::to_string(run.hidden.front()));
    if (run.optimizer.kind != reference.optimizer.kind)
        change.emplace_back("optimizer", optimizerName(run.optimizer.kind));
    if (run.optimizer.learningRate != reference.optimizer.learningRate) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g", run.optimizer.learningRate);
        change.emplace_back("lr", text);
    }
    if (run.batch != reference.batch)
        change.emplace_back("batch", std::to_string(run.batch));
    if (run.seed != reference.seed)
        change.emplace_back("seed", std::to_string(run.seed));
    return change;
}

std::vector<RunChange> autoChanges()
{
    std::vector<RunChange> out;
    for (const int h : kAutoHidden)
        for (const int k : kAutoMixtures)
            out.push_back({{"mixtures", std::to_string(k)}, {"hidden", std::to_string(h)}});
    return out;
}

std::vector<TrainConfig> autoCandidates(const Settings &base)
{
    std::vector<TrainConfig> out;
    for (const int h : kAutoHidden)
        for (const int k : kAutoMixtures) {
            Settings s = base;
            s.mdnHidden = h;
            s.mixtures = k;
            out.push_back(s.modelConfig(ModelKind::Mdn));
        }
    return out;
}

} // namespace mdn
