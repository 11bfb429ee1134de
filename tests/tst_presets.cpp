// Presets: every built-in one parses and trains, the command line applies them under its explicit
// options and records them in the report, a person's own presets are saved and deleted, and the
// window's Presets menu applies one.

#include "headless.h"

#include "elidedlabel.h"
#include "launchsettings.h"
#include "mainwindow.h"
#include "presets.h"
#include "presetstore.h"
#include "session.h"
#include "settings.h"
#include "settingsdock.h"

#include <QAction>
#include <QCommandLineParser>
#include <QJsonDocument>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

using namespace mdnviz;

class TestPresets : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void builtInPresetAppliesAndTrains_data();
    void builtInPresetAppliesAndTrains();
    void builtInPresetsSetEveryPresetKey();
    void presetIsIndependentOfTheSettingsBefore();
    void badPresetValueIsRefusedByName();
    void listPresetsPrintsEveryName();
    void headlessReportRecordsThePreset();
    void explicitOptionsOverrideThePreset();
    void unknownPresetIsRefused();
    void windowLaunchAppliesThePresetUnderItsOptions();
    void userPresetSaveAndDelete();
    void builtInPresetsCannotBeReplacedOrDeleted();
    void presetsMenuAppliesAPreset();
};

void TestPresets::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().remove(QStringLiteral("presets"));
}

void TestPresets::builtInPresetAppliesAndTrains_data()
{
    QTest::addColumn<QString>("name");
    for (const mdn::Preset &p : mdn::builtInPresets())
        QTest::newRow(p.name.c_str()) << QString::fromStdString(p.name);
}

// Each preset's values are in the settings table's ranges, and what they describe trains: a few
// epochs on a few points, both nets, to finite losses.
void TestPresets::builtInPresetAppliesAndTrains()
{
    QFETCH(QString, name);
    const mdn::Preset *preset = mdn::builtInPreset(name.toStdString());
    QVERIFY(preset);
    QVERIFY(!preset->title.empty());
    QVERIFY(!preset->source.empty());
    mdn::Settings s;
    try {
        s = mdn::applyPreset(mdn::Settings(), *preset);
    } catch (const std::invalid_argument &e) {
        QFAIL(e.what());
    }
    QVERIFY(!s.fromFile);
    s.points = std::min(s.points, 400); // fast: the sizes of the models are the preset's own
    mdn::Session session(std::make_shared<const mdn::Dataset>(mdn::generate(s.generatorSpec())),
                         s.sessionOptions(), s.modelConfigs());
    QCOMPARE(session.train(20), 20L);
    QVERIFY(!session.failed());
    for (std::size_t run = 0; run < session.runCount(); ++run)
        QVERIFY2(std::isfinite(session.trainer(run).lastLoss()), qPrintable(QString::number(run)));
}

void TestPresets::builtInPresetsSetEveryPresetKey()
{
    std::set<std::string> names;
    for (const mdn::Preset &p : mdn::builtInPresets()) {
        QVERIFY2(names.insert(p.name).second, p.name.c_str());
        std::set<std::string> keys;
        for (const auto &[key, value] : p.values)
            keys.insert(key);
        QCOMPARE(keys, std::set<std::string>(mdn::presetKeys().begin(), mdn::presetKeys().end()));
    }
    // The defaults preset is mdnviz's defaults, and the papers' values are there.
    QVERIFY(mdn::applyPreset(mdn::Settings(), *mdn::builtInPreset("mdnviz")) == mdn::Settings());
    const mdn::Settings prml =
        mdn::applyPreset(mdn::Settings(), *mdn::builtInPreset("bishop-prml-5-21"));
    QCOMPARE(prml.generator, mdn::Generator::Bishop);
    QCOMPARE(prml.points, 1000);
    QCOMPARE(prml.noise, 0.1);
    QCOMPARE(prml.mixtures, 3);
    QCOMPARE(prml.mdnHidden, 5);
    QCOMPARE(prml.mseHidden, 6);
    const mdn::Settings tf =
        mdn::applyPreset(mdn::Settings(), *mdn::builtInPreset("ha-2015-tensorflow"));
    QCOMPARE(tf.points, 2500);
    QCOMPARE(tf.mixtures, 24);
    QCOMPARE(tf.learningRate, 0.001);
    QCOMPARE(tf.epochLimit, 10000L);
}

// A preset reproduces its experiment whatever was set before (the views aside).
void TestPresets::presetIsIndependentOfTheSettingsBefore()
{
    mdn::Settings other;
    other.generator = mdn::Generator::RobotArm;
    other.fromFile = true;
    other.points = 77;
    other.noise = 3.0;
    other.seed = 9;
    other.mixtures = 40;
    other.optimizer = mdn::OptimizerKind::SGD;
    other.batch = 32;
    other.validationPercent = 0;
    other.samplesPerX = 3;
    for (const mdn::Preset &p : mdn::builtInPresets()) {
        mdn::Settings fromOther = mdn::applyPreset(other, p);
        QCOMPARE(fromOther.samplesPerX, 3); // a view setting: kept
        fromOther.samplesPerX = mdn::Settings().samplesPerX;
        QVERIFY2(fromOther == mdn::applyPreset(mdn::Settings(), p), p.name.c_str());
    }
}

void TestPresets::badPresetValueIsRefusedByName()
{
    mdn::Preset p{"broken", "Broken", "a test", {{"mixtures", "3"}, {"points", "0"}}};
    try {
        mdn::applyPreset(mdn::Settings(), p);
        QFAIL("a value out of range was accepted");
    } catch (const std::invalid_argument &e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains("broken") && what.contains("points 0"), qPrintable(what));
    }
    p.values = {{"hiddenUnits", "5"}};
    try {
        mdn::applyPreset(mdn::Settings(), p);
        QFAIL("an unknown key was accepted");
    } catch (const std::invalid_argument &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains("hiddenUnits"), e.what());
    }
}

void TestPresets::listPresetsPrintsEveryName()
{
    const headless::Run r = headless::run({QStringLiteral("--list-presets")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QVERIFY(lines.size() >= int(mdn::builtInPresets().size()));
    for (std::size_t i = 0; i < mdn::builtInPresets().size(); ++i) {
        const mdn::Preset &p = mdn::builtInPresets()[i];
        QCOMPARE(lines[int(i)], QByteArray((p.name + "\t" + p.title).c_str()));
    }
}

void TestPresets::headlessReportRecordsThePreset()
{
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("r.json"));
    const headless::Run r =
        headless::run({QStringLiteral("--headless"), QStringLiteral("--preset"),
                       QStringLiteral("bishop-prml-5-21"), QStringLiteral("--epochs"),
                       QStringLiteral("5"), QStringLiteral("--report"), report});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject json = QJsonDocument::fromJson(headless::readFile(report)).object();
    const QJsonObject preset = json["preset"].toObject();
    QCOMPARE(preset["name"].toString(), QStringLiteral("bishop-prml-5-21"));
    const QJsonObject values = preset["values"].toObject();
    for (const auto &[key, value] : mdn::builtInPreset("bishop-prml-5-21")->values)
        QCOMPARE(values[QString::fromStdString(key)].toString(), QString::fromStdString(value));
    QCOMPARE(json["mdn"].toObject()["mixtures"].toInt(), 3);
    QCOMPARE(json["dataset"].toObject()["points"].toInt(), 1000);
    QCOMPARE(json["dataset"].toObject()["noise"].toDouble(), 0.1);
    QCOMPARE(json["epochs"].toInt(), 5); // --epochs over the preset's 3,000
    // Without --preset there is no preset in the report.
    const headless::Run plain = headless::run(
        {QStringLiteral("--headless"), QStringLiteral("--epochs"), QStringLiteral("2"),
         QStringLiteral("--points"), QStringLiteral("200"), QStringLiteral("--report"), report});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.describe()));
    QVERIFY(!QJsonDocument::fromJson(headless::readFile(report)).object().contains("preset"));
}

void TestPresets::explicitOptionsOverrideThePreset()
{
    QTemporaryDir dir;
    const QString report = dir.filePath(QStringLiteral("r.json"));
    const headless::Run r = headless::run(
        {QStringLiteral("--headless"), QStringLiteral("--preset"),
         QStringLiteral("bishop-1994-toy"), QStringLiteral("--mixtures"), QStringLiteral("4"),
         QStringLiteral("--points"), QStringLiteral("300"), QStringLiteral("--epochs"),
         QStringLiteral("3"), QStringLiteral("--report"), report});
    QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
    const QJsonObject json = QJsonDocument::fromJson(headless::readFile(report)).object();
    QCOMPARE(json["mdn"].toObject()["mixtures"].toInt(), 4);
    QCOMPARE(json["dataset"].toObject()["points"].toInt(), 300);
    // The preset's other values hold: its dataset and noise.
    QCOMPARE(json["dataset"].toObject()["name"].toString(), QStringLiteral("bishop"));
    QCOMPARE(json["dataset"].toObject()["noise"].toDouble(), 0.1);
    // Another --dataset brings its own noise, as without a preset.
    const headless::Run other =
        headless::run({QStringLiteral("--headless"), QStringLiteral("--preset"),
                       QStringLiteral("bishop-1994-toy"), QStringLiteral("--dataset"),
                       QStringLiteral("inverse-sinusoid"), QStringLiteral("--epochs"),
                       QStringLiteral("2"), QStringLiteral("--report"), report});
    QVERIFY2(other.exitCode == 0, qPrintable(other.describe()));
    const QJsonObject ds =
        QJsonDocument::fromJson(headless::readFile(report)).object()["dataset"].toObject();
    QCOMPARE(ds["noise"].toDouble(), 1.0);
    QCOMPARE(ds["points"].toInt(), 4000);
}

void TestPresets::unknownPresetIsRefused()
{
    const headless::Run r = headless::run({QStringLiteral("--headless"), QStringLiteral("--preset"),
                                           QStringLiteral("bishop-2006"),
                                           QStringLiteral("--epochs"), QStringLiteral("1")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("bishop-2006") && r.err.contains("bishop-prml-5-21") &&
                 r.err.contains("ha-2015-tensorflow"),
             r.err.constData());
}

// The window's first settings: the stored ones, the preset's over them, the options over both.
void TestPresets::windowLaunchAppliesThePresetUnderItsOptions()
{
    QCommandLineParser parser;
    addOptions(parser);
    QVERIFY(parser.parse({QStringLiteral("mdnviz"), QStringLiteral("--preset"),
                          QStringLiteral("bishop-prml-5-21"), QStringLiteral("--mixtures"),
                          QStringLiteral("4")}));
    QString error;
    const std::optional<Options> options = readOptions(parser, error);
    QVERIFY2(options, qPrintable(error));
    QCOMPARE(options->presetName, QStringLiteral("bishop-prml-5-21"));
    Settings stored;
    stored.generator = mdn::Generator::Sinusoid;
    stored.points = 1234;
    stored.showBands = true;
    const Settings s = withCommandLine(stored, parser, *options);
    QCOMPARE(s.generator, mdn::Generator::Bishop);
    QCOMPARE(s.points, 1000);
    QCOMPARE(s.noise, 0.1);
    QCOMPARE(s.mdnHidden, 5);
    QCOMPARE(s.mixtures, 4);
    QVERIFY(s.showBands); // a view setting: the stored one
}

void TestPresets::userPresetSaveAndDelete()
{
    mdn::Settings s;
    s.generator = mdn::Generator::Sinusoid;
    s.mixtures = 7;
    s.learningRate = 0.0025;
    s.fromFile = true; // a file's data are not part of a preset: the generator's are
    s.filePath = "/tmp/some.csv";
    QString error;
    QVERIFY2(saveUserPreset(QStringLiteral("mine"), s, error), qPrintable(error));
    QVERIFY(presetNames().contains(QStringLiteral("mine")));
    const std::optional<mdn::Preset> found = findPreset(QStringLiteral("mine"));
    QVERIFY(found);
    const mdn::Settings back = mdn::applyPreset(mdn::Settings(), *found);
    QCOMPARE(back.generator, mdn::Generator::Sinusoid);
    QCOMPARE(back.mixtures, 7);
    QCOMPARE(back.learningRate, 0.0025);
    QVERIFY(!back.fromFile);
    // Saved again under the same name: replaced.
    s.mixtures = 8;
    QVERIFY2(saveUserPreset(QStringLiteral("mine"), s, error), qPrintable(error));
    QCOMPARE(mdn::applyPreset(mdn::Settings(), *findPreset(QStringLiteral("mine"))).mixtures, 8);
    QCOMPARE(userPresets().size(), std::size_t(1));

    QVERIFY2(deleteUserPreset(QStringLiteral("mine"), error), qPrintable(error));
    QVERIFY(!findPreset(QStringLiteral("mine")));
    QVERIFY(!deleteUserPreset(QStringLiteral("mine"), error));
    QVERIFY2(error.contains("mine"), qPrintable(error));
    for (const QString &bad : {QString(), QStringLiteral("a/b"), QStringLiteral(" pad")}) {
        QVERIFY(!saveUserPreset(bad, s, error));
        QVERIFY(!error.isEmpty());
    }
}

void TestPresets::builtInPresetsCannotBeReplacedOrDeleted()
{
    QString error;
    QVERIFY(!saveUserPreset(QStringLiteral("bishop-prml-5-21"), mdn::Settings(), error));
    QVERIFY2(error.contains("built-in"), qPrintable(error));
    error.clear();
    QVERIFY(!deleteUserPreset(QStringLiteral("mdnviz"), error));
    QVERIFY2(error.contains("built-in"), qPrintable(error));
    QVERIFY(mdn::builtInPreset("mdnviz"));
    QVERIFY(findPreset(QStringLiteral("mdnviz")));
}

// The menu's action for a preset sets the dock and the data, and says so.
void TestPresets::presetsMenuAppliesAPreset()
{
    MainWindow w(false);
    w.show();
    QMenu *menu = nullptr;
    for (QAction *a : w.menuBar()->actions())
        if (a->menu() && a->text().remove(QLatin1Char('&')) == QLatin1String("Presets"))
            menu = a->menu();
    QVERIFY(menu);
    QVERIFY(menu->toolTipsVisible());
    auto *action = w.findChild<QAction *>(QStringLiteral("preset:bishop-prml-5-21"));
    QVERIFY(action);
    QCOMPARE(action->toolTip(),
             QString::fromStdString(mdn::builtInPreset("bishop-prml-5-21")->source));
    action->trigger();
    QCOMPARE(w.settings().generator, mdn::Generator::Bishop);
    QCOMPARE(w.settings().mixtures, 3);
    QCOMPARE(w.findChild<SettingsDock *>()->settings().mdnHidden, 5);
    QTRY_COMPARE(w.dataset().size(), std::size_t(1000));
    auto *message = w.findChild<ElidedLabel *>();
    QVERIFY(message);
    QCOMPARE(message->text(), QStringLiteral("Preset: Bishop PRML fig. 5.21"));
}

QTEST_MAIN(TestPresets)
#include "tst_presets.moc"
