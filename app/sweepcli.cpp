#include "sweepcli.h"

#include "chartexport.h"
#include "options.h"
#include "safewrite.h"
#include "sweepchart.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTextStream>

#include <cmath>

namespace mdnviz {

namespace {

QJsonValue finiteOrNull(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

QString figure(double v, int precision = 5)
{
    return std::isfinite(v) ? QString::number(v, 'g', precision) : QStringLiteral("n/a");
}

// A sweep of the MSE net reports losses, of the MDN NLLs (as the report's mse and mdn parts).
bool sweepsMse(const Options &o) { return o.sweep && mdn::sweepKind(*o.sweep) == mdn::ModelKind::Mse; }
QString trainKey(bool mse) { return mse ? QStringLiteral("train_loss") : QStringLiteral("train_nll"); }
QString validationKey(bool mse) { return mse ? QStringLiteral("validation_loss") : QStringLiteral("validation_nll"); }
QString bestKey(bool mse) { return mse ? QStringLiteral("best_validation_loss") : QStringLiteral("best_validation_nll"); }

// The value as the report writes it: a number, or a name (the optimizer).
QJsonValue valueJson(const std::string &parameter, const std::string &value)
{
    const mdn::SettingSpec *spec = mdn::settingForOption(parameter);
    if (spec && spec->type != mdn::SettingSpec::Type::Choice)
        return QString::fromStdString(value).toDouble();
    return QString::fromStdString(value);
}

std::vector<mdn::SweepRun> runsOfSweep(const Options &o) { return mdn::sweepRuns(o.settings, *o.sweep); }

std::size_t firstAutoRun(const Options &o) { return o.trainsMse() ? 1 : 0; }

QJsonObject rowJson(const mdn::SweepRow &r, bool mse)
{
    QJsonObject j;
    j[trainKey(mse)] = finiteOrNull(r.trainLoss);
    j[validationKey(mse)] = finiteOrNull(r.validation);
    j["best_epoch"] = r.bestEpoch >= 0 ? QJsonValue(qint64(r.bestEpoch)) : QJsonValue();
    j[bestKey(mse)] = finiteOrNull(r.bestValidation);
    j["seed"] = qint64(r.seed);
    j["epochs"] = qint64(r.epochs);
    j["seconds"] = r.seconds;
    return j;
}

QJsonObject spread(double mean, double lo, double hi)
{
    QJsonObject j;
    j["mean"] = finiteOrNull(mean);
    j["min"] = finiteOrNull(lo);
    j["max"] = finiteOrNull(hi);
    return j;
}

} // namespace

QList<QCommandLineOption> sweepOptions()
{
    QString names;
    for (const std::string &n : mdn::sweepableParameters())
        names += (names.isEmpty() ? QString() : QStringLiteral(", ")) + QString::fromStdString(n);
    return {
        QCommandLineOption(QStringLiteral("sweep"),
                           QStringLiteral("Train one model per value of a setting, side by side on the same data "
                                          "and held-out points, and compare them: NAME is one of %1 (mse-hidden "
                                          "sweeps the MSE net, the others the MDN; only the swept model is "
                                          "trained). The report's model fields describe the run with the lowest "
                                          "held-out loss.")
                               .arg(names),
                           QStringLiteral("NAME=V1,V2,...")),
        QCommandLineOption(QStringLiteral("sweep-seeds"),
                           QStringLiteral("Train each --sweep value with N model seeds (seed, seed+1, ...; the "
                                          "data and the split stay the same) and report the spread (default 1)."),
                           QStringLiteral("N")),
        QCommandLineOption(QStringLiteral("sweep-csv"),
                           QStringLiteral("Write the --sweep table as CSV to this file, one row per run."),
                           QStringLiteral("file")),
        QCommandLineOption(QStringLiteral("auto"),
                           QStringLiteral("Choose the MDN's size by the held-out points: train %1 candidates "
                                          "(mixtures 1, 2, 3, 5, 10 x hidden 12, 24) side by side for --epochs, "
                                          "keep each at its best held-out NLL, and use the best.")
                               .arg(std::size(mdn::kAutoMixtures) * std::size(mdn::kAutoHidden))),
    };
}

bool readSweepOptions(const QCommandLineParser &p, Options &o, QString &error)
{
    const bool sweep = p.isSet(QStringLiteral("sweep"));
    o.autoSearch = p.isSet(QStringLiteral("auto"));
    for (const char *name : {"sweep-seeds", "sweep-csv"})
        if (p.isSet(QLatin1String(name)) && !sweep) {
            error = QStringLiteral("--%1 goes with --sweep; there is none").arg(QLatin1String(name));
            return false;
        }
    if (sweep && o.autoSearch) {
        error = QStringLiteral("--sweep and --auto each choose the models trained; give one");
        return false;
    }
    if ((sweep || o.autoSearch) && !o.exportAnimation.isEmpty()) {
        error = QStringLiteral("--export-animation follows one model; not with %1")
                    .arg(sweep ? QStringLiteral("--sweep") : QStringLiteral("--auto"));
        return false;
    }
    if (o.autoSearch && !o.trainsMdn()) {
        error = QStringLiteral("--auto chooses the MDN's size; --model mse trains no MDN");
        return false;
    }
    if (!sweep)
        return true;
    mdn::SweepSpec spec;
    if (p.isSet(QStringLiteral("sweep-seeds"))) {
        const QString text = p.value(QStringLiteral("sweep-seeds"));
        bool ok = false;
        const int n = text.trimmed().toInt(&ok);
        if (!ok || n < 1 || n > mdn::kMaxSweepSeeds) {
            error = QStringLiteral("--sweep-seeds %1: expected a whole number from 1 to %2").arg(text).arg(mdn::kMaxSweepSeeds);
            return false;
        }
        spec.seeds = n;
    }
    const QString text = p.value(QStringLiteral("sweep"));
    std::string why;
    if (!mdn::parseSweep(text.toStdString(), spec, why)) {
        error = QStringLiteral("--sweep %1: %2").arg(text, QString::fromStdString(why));
        return false;
    }
    const bool mse = mdn::sweepKind(spec) == mdn::ModelKind::Mse;
    if (mse ? !o.trainsMse() : !o.trainsMdn()) {
        error = QStringLiteral("--sweep %1 varies the %2; --model %3 trains none")
                    .arg(QString::fromStdString(spec.parameter), mse ? QStringLiteral("MSE net") : QStringLiteral("MDN"),
                         o.modelSelection);
        return false;
    }
    if (mse && !o.exportSamplesFile.isEmpty()) {
        error = QStringLiteral("--export-samples needs the MDN; --sweep mse-hidden trains only the MSE net");
        return false;
    }
    o.sweep = spec;
    o.sweepCsvFile = p.value(QStringLiteral("sweep-csv"));
    if (p.isSet(QStringLiteral("sweep-csv")) && o.sweepCsvFile.isEmpty()) {
        error = QStringLiteral("--sweep-csv: the file name is empty");
        return false;
    }
    return true;
}

std::vector<mdn::TrainConfig> sweepSessionRuns(const Options &o)
{
    std::vector<mdn::TrainConfig> runs;
    if (o.sweep) {
        for (const mdn::SweepRun &r : runsOfSweep(o))
            runs.push_back(r.config);
        return runs;
    }
    if (o.trainsMse())
        runs.push_back(o.settings.modelConfig(mdn::ModelKind::Mse));
    for (const mdn::TrainConfig &c : mdn::autoCandidates(o.settings))
        runs.push_back(c);
    return runs;
}

QString sweepChartFileName(const Options &o)
{
    return QStringLiteral("sweep.") + exportFormatName(o.exportDirFormat);
}

SweepOutcome finishSweep(const Options &o, mdn::Session &session)
{
    SweepOutcome out;
    if (o.sweep) {
        const bool mse = sweepsMse(o);
        const std::vector<mdn::SweepRun> runs = runsOfSweep(o);
        out.key = QStringLiteral("sweep");
        out.rows = mdn::sweepRows(session, runs, 0);
        out.summaries = mdn::summariseSweep(out.rows, o.sweep->values);
        out.chosen = mdn::bestRow(out.rows, false);
        if (out.chosen)
            session.showRun(*out.chosen);
        QJsonObject &j = out.json;
        j["parameter"] = QString::fromStdString(o.sweep->parameter);
        j["model"] = mse ? QStringLiteral("mse") : QStringLiteral("mdn");
        j["seeds"] = o.sweep->seeds;
        j["chosen_by"] = QStringLiteral("lowest %1 at the last epoch").arg(validationKey(mse));
        QJsonArray rows, summary;
        for (const mdn::SweepRow &r : out.rows) {
            QJsonObject row = rowJson(r, mse);
            row["value"] = valueJson(o.sweep->parameter, r.value);
            rows.append(row);
        }
        for (const mdn::SweepSummary &s : out.summaries) {
            QJsonObject v;
            v["value"] = valueJson(o.sweep->parameter, s.value);
            v["runs"] = qint64(s.runs);
            v[validationKey(mse)] = spread(s.meanValidation, s.minValidation, s.maxValidation);
            v[bestKey(mse)] = spread(s.meanBestValidation, s.minBestValidation, s.maxBestValidation);
            v[trainKey(mse) + QStringLiteral("_mean")] = finiteOrNull(s.meanTrainLoss);
            summary.append(v);
        }
        j["runs"] = rows;
        j["summary"] = summary;
        if (out.chosen) {
            QJsonObject c = rowJson(out.rows[*out.chosen], mse);
            c["value"] = valueJson(o.sweep->parameter, out.rows[*out.chosen].value);
            j["chosen"] = c;
        }
        return out;
    }
    // --auto.
    out.key = QStringLiteral("auto");
    const std::size_t first = firstAutoRun(o);
    std::vector<mdn::SweepRun> runs;
    for (std::size_t r = first; r < session.runCount(); ++r) {
        const mdn::TrainConfig &c = session.trainer(r).config();
        runs.push_back({"mixtures=" + std::to_string(c.mixtures) + " hidden=" + std::to_string(c.hidden.front()),
                        c.seed, c});
    }
    out.rows = mdn::sweepRows(session, runs, first);
    out.chosen = mdn::bestRow(out.rows, true);
    QJsonArray candidates;
    const auto describe = [&](std::size_t i) {
        const mdn::TrainConfig &c = runs[i].config;
        QJsonObject j = rowJson(out.rows[i], false);
        j["mixtures"] = c.mixtures;
        j["hidden"] = c.hidden.front();
        j["optimizer"] = mdn::optimizerName(c.optimizer.kind);
        j["learning_rate"] = c.optimizer.learningRate;
        return j;
    };
    for (std::size_t i = 0; i < out.rows.size(); ++i)
        candidates.append(describe(i));
    out.json["candidates"] = candidates;
    out.json["chosen_by"] = QStringLiteral("lowest best_validation_nll; the chosen run keeps its best epoch's weights");
    if (out.chosen) {
        const std::size_t run = first + *out.chosen;
        session.restoreBest(run);
        session.showRun(run);
        QJsonObject c = describe(*out.chosen);
        c["validation_nll"] = finiteOrNull(out.rows[*out.chosen].bestValidation);
        // The training NLL of the weights kept, not of the last epoch.
        c["train_nll"] = finiteOrNull(session.trainer(run).loss(session.trainingData()));
        out.json["chosen"] = c;
    }
    return out;
}

void printSweep(QTextStream &out, const Options &o, const SweepOutcome &outcome)
{
    if (o.sweep) {
        const bool mse = sweepsMse(o);
        const QString loss = mse ? QStringLiteral("MSE") : QStringLiteral("NLL");
        for (const mdn::SweepSummary &s : outcome.summaries) {
            out << QStringLiteral("sweep %1=%2: validation %3 %4")
                       .arg(QString::fromStdString(o.sweep->parameter), QString::fromStdString(s.value), loss,
                            figure(s.meanValidation));
            if (s.runs > 1)
                out << QStringLiteral(" (mean of %1 seeds, %2 to %3)")
                           .arg(s.runs)
                           .arg(figure(s.minValidation), figure(s.maxValidation));
            out << QStringLiteral(", best %1, train %2\n").arg(figure(s.meanBestValidation), figure(s.meanTrainLoss));
        }
        if (outcome.chosen)
            out << QStringLiteral("sweep: lowest validation %1 with %2=%3, seed %4\n")
                       .arg(loss, QString::fromStdString(o.sweep->parameter),
                            QString::fromStdString(outcome.rows[*outcome.chosen].value))
                       .arg(outcome.rows[*outcome.chosen].seed);
        return;
    }
    for (const mdn::SweepRow &r : outcome.rows)
        out << QStringLiteral("auto %1: best validation NLL %2 at epoch %3\n")
                   .arg(QString::fromStdString(r.value), figure(r.bestValidation))
                   .arg(r.bestEpoch);
    if (outcome.chosen) {
        const mdn::SweepRow &r = outcome.rows[*outcome.chosen];
        out << QStringLiteral("auto: chose %1 at epoch %2 (validation NLL %3)\n")
                   .arg(QString::fromStdString(r.value))
                   .arg(r.bestEpoch)
                   .arg(figure(r.bestValidation));
    }
}

bool writeSweepFiles(const Options &o, const mdn::Session &session, const SweepOutcome &outcome, QString &error)
{
    if (!o.sweep)
        return true;
    if (!o.sweepCsvFile.isEmpty()) {
        std::string e;
        const std::string csv = mdn::sweepCsv(o.sweep->parameter, outcome.rows);
        if (!mdn::writeFileAtomically(QFile::encodeName(o.sweepCsvFile).toStdString(), csv, e)) {
            error = QString::fromStdString(e);
            return false;
        }
    }
    if (o.exportDir.isEmpty())
        return true;
    const bool mse = sweepsMse(o);
    QList<SweepChart::Value> values;
    for (const mdn::SweepSummary &s : outcome.summaries)
        values.append({QString::fromStdString(s.value), int(s.runs), s.meanValidation, s.minValidation,
                       s.maxValidation, s.meanTrainLoss, s.meanBestValidation});
    SweepChart chart;
    chart.chart()->setTitle(QStringLiteral("Held-out %1 against %2 (%3 epochs%4)")
                                .arg(mse ? QStringLiteral("MSE") : QStringLiteral("NLL"),
                                     QString::fromStdString(o.sweep->parameter))
                                .arg(session.epoch())
                                .arg(o.sweep->seeds > 1 ? QStringLiteral(", %1 seeds each").arg(o.sweep->seeds)
                                                        : QString()));
    chart.setValues(QString::fromStdString(o.sweep->parameter),
                    mse ? QStringLiteral("MSE") : QStringLiteral("NLL (nats)"), values);
    chart.setBayesNll(mse ? std::nan("") : session.bayesNll());
    if (!QDir().mkpath(o.exportDir)) {
        error = QStringLiteral("%1: cannot create the folder").arg(o.exportDir);
        return false;
    }
    return exportFigure(chart.figure(), QDir(o.exportDir).filePath(sweepChartFileName(o)), o.exportSize,
                        o.exportDirFormat, &error);
}

} // namespace mdnviz
