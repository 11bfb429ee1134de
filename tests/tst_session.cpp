// The session core: split, Bayes floor, runs in lockstep, histories, validation schedule, and a
// state that restores bit for bit.

#include "dataset.h"
#include "losshistory.h"
#include "rng.h"
#include "session.h"
#include "settings.h"
#include "sweep.h"

#include <QtTest/QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

using namespace mdn;

namespace {

std::shared_ptr<const Dataset> inverseData(std::size_t points, std::uint64_t seed = 1)
{
    GeneratorSpec g;
    g.points = points;
    g.seed = seed;
    return std::make_shared<const Dataset>(generate(g));
}

std::vector<TrainConfig> bothModels(std::size_t batch = 0)
{
    std::vector<TrainConfig> runs = {defaultConfig(ModelKind::Mse), defaultConfig(ModelKind::Mdn)};
    for (TrainConfig &c : runs)
        c.batch = batch;
    return runs;
}

SessionOptions withGenerator(std::size_t points)
{
    SessionOptions o;
    GeneratorSpec g;
    g.points = points;
    o.generator = g;
    return o;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT
private slots:
    void splitsAndScoresTheFloor();
    void runsMoveInLockstepAndKeepEveryEpoch();
    void largeDataTrainsOnMiniBatches();
    void aRestoredSessionContinuesBitIdentically();
    void aStoppedSessionResumesToTheSameWeights();
    void severalInputsAndTargets();
    void historyStaysBoundedAndKeepsRecentEpochs();
    void aSavedHistoryGoesOnExactly();
    void impossibleSavedHistoriesAreRefused_data();
    void impossibleSavedHistoriesAreRefused();
    void bestWeightsAreTheOnesScored();
    void theLastEpochIsScored();
    void runsInOneSessionShareTheSplit();
    void aReproducibleScheduleScoresTheSameEpochs();
    void anAddedRunCatchesUpOnTheSameSplit();
    void removingARunKeepsTheShownOne();
    void runLossesAreTheHistorys();
    void theViewsShowTheBestWeightsWhenAsked();
    void runChangesRoundTrip();
};

void TestSession::splitsAndScoresTheFloor()
{
    Session s(inverseData(1000), withGenerator(1000), bothModels());
    QCOMPARE(s.validationData().size(), std::size_t(200));
    QCOMPARE(s.trainingData().size(), std::size_t(800));
    QVERIFY(std::isfinite(s.bayesNll()));
    QCOMPARE(s.runCount(), std::size_t(2));
    QCOMPARE(*s.firstRun(ModelKind::Mdn), std::size_t(1));
    // Without a known generator there is no floor; without held-out points neither.
    Session file(inverseData(1000), SessionOptions(), bothModels());
    QVERIFY(std::isnan(file.bayesNll()));
    SessionOptions none = withGenerator(1000);
    none.validationPercent = 0;
    Session all(inverseData(1000), none, bothModels());
    QVERIFY(all.validationData().empty());
    QVERIFY(std::isnan(all.bayesNll()));
}

// Every epoch has a training loss in the history and in the loss points; the held-out points are
// scored at epoch 0, at every one of the first 16 epochs, then on the schedule.
void TestSession::runsMoveInLockstepAndKeepEveryEpoch()
{
    Session s(inverseData(1000), withGenerator(1000), bothModels());
    QCOMPARE(s.train(300), 300L);
    QCOMPARE(s.epoch(), 300L);
    for (std::size_t r = 0; r < s.runCount(); ++r) {
        QCOMPARE(s.trainer(r).epoch(), 300L);
        QCOMPARE(s.history(r).lastEpoch(), 300L);
        QCOMPARE(s.history(r).loss(300), s.trainer(r).lastLoss());
        const std::vector<RunHistory::Point> &v = s.history(r).validation;
        QVERIFY(v.size() >= 17);
        for (long e = 0; e <= 16; ++e)
            QCOMPARE(v[std::size_t(e)].epoch, e);
        QVERIFY(v.back().epoch > 200); // still scored late in the run
    }
    const std::vector<LossPoint> points = s.lossPoints(-1);
    QCOMPARE(points.size(), std::size_t(301));
    QCOMPARE(points.front().epoch, 0L);
    QVERIFY(std::isnan(points.front().nll) && std::isfinite(points.front().validationNll));
    QVERIFY(std::isfinite(points.back().mse) && std::isfinite(points.back().nll));
    QCOMPARE(s.lossPoints(295).size(), std::size_t(5));
    const Snapshot snap = s.snapshot(SnapshotRequest());
    QCOMPARE(snap.epoch, 300L);
    QCOMPARE(snap.gridX.size(), std::size_t(200));
    QVERIFY(std::isfinite(snap.validationNll) && std::isfinite(snap.validationMse));
}

void TestSession::largeDataTrainsOnMiniBatches()
{
    QCOMPARE(Session::batchFor(0, Session::kLargeData), std::size_t(0));
    QCOMPARE(Session::batchFor(0, Session::kLargeData + 1), Session::kLargeDataBatch);
    QCOMPARE(Session::batchFor(100, 10 * Session::kLargeData), std::size_t(100));
    SessionOptions o = withGenerator(70000);
    o.validationPercent = 10;
    Session s(inverseData(70000), o, bothModels());
    for (std::size_t r = 0; r < s.runCount(); ++r)
        QCOMPARE(s.trainer(r).config().batch, Session::kLargeDataBatch);
}

void TestSession::aRestoredSessionContinuesBitIdentically()
{
    const auto data = inverseData(1500);
    Session a(data, withGenerator(1500), bothModels(100));
    a.train(60);
    const Session::State saved = a.state();
    Session b(data, withGenerator(1500), bothModels(100));
    b.restore(saved);
    QCOMPARE(b.epoch(), 60L);
    a.train(50);
    b.train(50);
    for (std::size_t r = 0; r < a.runCount(); ++r) {
        QVERIFY(a.trainer(r).net().parameters() == b.trainer(r).net().parameters());
        QVERIFY(a.history(r) == b.history(r));
    }
    // A state of another session shape is refused, and the session stays as it was.
    Session one(data, withGenerator(1500), {defaultConfig(ModelKind::Mdn)});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, one.restore(saved));
    std::vector<TrainConfig> other = bothModels(100);
    other[1].mixtures = 3;
    Session c(data, withGenerator(1500), other);
    const Eigen::VectorXf before = c.trainer(0).net().parameters();
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, c.restore(saved));
    QVERIFY(c.trainer(0).net().parameters() == before);
    QCOMPARE(c.epoch(), 0L);
}

// Stopped at arbitrary moments and trained on, a session ends with the weights of one that was
// never stopped: every run finishes the epoch it was stopped in, and no epoch's loss is lost.
void TestSession::aStoppedSessionResumesToTheSameWeights()
{
    const auto data = inverseData(8000, 2);
    Session straight(data, withGenerator(8000), bothModels(128));
    straight.train(20);
    Session stopped(data, withGenerator(8000), bothModels(128));
    int stops = 0;
    while (stopped.epoch() < 20 && stops < 2000) {
        std::atomic<bool> stop{false};
        std::thread t([&stop, stops] {
            std::this_thread::sleep_for(std::chrono::microseconds(300 + 131 * (stops % 17)));
            stop = true;
        });
        stopped.train(20 - stopped.epoch(), std::chrono::nanoseconds(0), &stop);
        t.join();
        ++stops;
        // The loss points so far have no gap, whatever the stop cut.
        const std::vector<LossPoint> points = stopped.lossPoints(0);
        for (std::size_t i = 0; i < points.size(); ++i) {
            QCOMPARE(points[i].epoch, long(i) + 1);
            QVERIFY(std::isfinite(points[i].mse) && std::isfinite(points[i].nll));
        }
    }
    QVERIFY(stops > 3);
    // With a time budget (the window), runs move in lockstep: a stop leaves none more than an
    // epoch ahead, whether they take turns (short epochs) or meet after each (long ones).
    Session small(inverseData(300), withGenerator(300), bothModels(32));
    for (int i = 0; i < 50; ++i) {
        std::atomic<bool> stop{false};
        std::thread t([&stop, i] {
            std::this_thread::sleep_for(std::chrono::microseconds(50 + 37 * (i % 11)));
            stop = true;
        });
        small.train(1000, std::chrono::seconds(10), &stop);
        t.join();
        for (std::size_t r = 0; r < small.runCount(); ++r)
            QVERIFY(small.trainer(r).epoch() <= small.epoch() + 1);
    }
    std::vector<TrainConfig> big = bothModels(0);
    big[0].hidden = big[1].hidden = {256};
    Session large(inverseData(6000), withGenerator(6000), big);
    large.train(2, std::chrono::seconds(10)); // learns that its epochs are long
    for (int i = 0; i < 10; ++i) {
        std::atomic<bool> stop{false};
        std::thread t([&stop, i] {
            std::this_thread::sleep_for(std::chrono::milliseconds(2 + 3 * i));
            stop = true;
        });
        large.train(1000, std::chrono::seconds(10), &stop);
        t.join();
        for (std::size_t r = 0; r < large.runCount(); ++r)
            QVERIFY(large.trainer(r).epoch() <= large.epoch() + 1);
    }
    QCOMPARE(stopped.epoch(), 20L);
    for (std::size_t r = 0; r < straight.runCount(); ++r) {
        QVERIFY(stopped.trainer(r).net().parameters() == straight.trainer(r).net().parameters());
        QVERIFY(stopped.history(r) == straight.history(r));
    }
}

void TestSession::severalInputsAndTargets()
{
    Rng rng(3);
    auto d = std::make_shared<Dataset>();
    d->inputDims = 2;
    d->targetDims = 3;
    for (int i = 0; i < 600; ++i) {
        const double in[2] = {rng.uniform(-1, 1), rng.uniform(-1, 1)};
        const double out[3] = {in[0] + in[1], in[0] * in[1] + 0.1 * rng.normal(), std::sin(3 * in[0])};
        d->addPoint(in, out);
    }
    Session s(d, withGenerator(600), bothModels()); // the generator's floor is for 1-D data only
    QVERIFY(std::isnan(s.bayesNll()));
    const double before = s.trainer(1).loss(s.validationData());
    s.train(200);
    QVERIFY(s.trainer(1).loss(s.validationData()) < before - 1.0);
    const Snapshot snap = s.snapshot(SnapshotRequest());
    QCOMPARE(snap.epoch, 200L);
    // No curves over one x: the mixture along a path (the first input over its range, the other
    // at its median, or where the request puts it) and the health of the fit.
    QVERIFY(snap.mseCurve.empty() && snap.sampleX.empty() && snap.density.empty());
    QCOMPARE(snap.gridX.size(), std::size_t(SnapshotRequest().gridPoints));
    QCOMPARE(snap.mixture.dims, 3);
    QCOMPARE(snap.mixture.points(), Eigen::Index(snap.gridX.size()));
    QCOMPARE(snap.pathThrough.size(), std::size_t(2));
    QVERIFY(std::abs(snap.pathThrough[1]) < 0.2);
    QVERIFY(std::isfinite(snap.minSigma) && snap.effectiveComponents >= 1.0);
    SnapshotRequest along;
    along.pathThrough = {0.0, 0.75};
    const Snapshot there = s.snapshot(along);
    QCOMPARE(there.pathThrough[1], 0.75);
    Eigen::MatrixXd X(2, 1);
    X << there.gridX[7], 0.75;
    const Mixture direct = s.trainer(1).mixtureAt(X);
    for (int k = 0; k < direct.components(); ++k)
        QCOMPARE(there.mixture.mean(k, 7, 2), direct.mean(k, 0, 2));
    QVERIFY(std::isfinite(snap.mdnLoss) && std::isfinite(snap.validationNll));
}

// However long a run trains, its history holds the recent epochs one by one and the rest at a
// stride; a rollback drops the undone epochs from both.
void TestSession::historyStaysBoundedAndKeepsRecentEpochs()
{
    RunHistory h;
    const long n = long(3 * RunHistory::kRecentEpochs) + 123;
    for (long e = 1; e <= n; ++e)
        h.add(double(e));
    QCOMPARE(h.lastEpoch(), n);
    QVERIFY(h.firstRecentEpoch() > n - long(2 * RunHistory::kRecentEpochs));
    QVERIFY(h.firstRecentEpoch() <= n - long(RunHistory::kRecentEpochs) + 1);
    for (long e = h.firstRecentEpoch(); e <= n; e += 997)
        QCOMPARE(h.loss(e), double(e));
    QVERIFY(h.overview().points().size() <= 8193);
    long kept = 0;
    for (const LossHistory::Point &p : h.overview().points()) {
        QCOMPARE(h.loss(p.epoch), double(p.epoch));
        ++kept;
    }
    QVERIFY(kept > 4000);
    QVERIFY(std::isnan(h.loss(h.overview().stride() + 1))); // off the stride, before the recent
    h.rollBackTo(n - 10);
    QCOMPARE(h.lastEpoch(), n - 10);
    QVERIFY(std::isnan(h.loss(n)));
    h.add(-1.0);
    QCOMPARE(h.loss(n - 9), -1.0);
    h.rollBackTo(5); // further back than the recent epochs reach
    QCOMPARE(h.lastEpoch(), 5L);
    h.add(-2.0);
    QCOMPARE(h.loss(6), -2.0);
    QVERIFY(std::isnan(h.loss(7)));
}

void TestSession::aSavedHistoryGoesOnExactly()
{
    // Past the recent window and the overview's first stride doubling, with rollbacks.
    RunHistory h;
    h.validation = {{0, 3.0}, {500, 2.0}};
    h.seconds = 1.5;
    const long n = long(2 * RunHistory::kRecentEpochs) + 1234;
    for (long e = 1; e <= n; ++e)
        h.add(1.0 / double(e));
    h.rollBackTo(n - 7);
    RunHistory back(h.saved());
    QVERIFY(back == h);
    QCOMPARE(back.firstRecentEpoch(), h.firstRecentEpoch());
    QCOMPARE(back.overview().stride(), h.overview().stride());
    QCOMPARE(back.validation.size(), std::size_t(2));
    QCOMPARE(back.seconds, 1.5);
    for (RunHistory *r : {&h, &back}) {
        for (long e = 0; e < 70000; ++e)
            r->add(double(e % 13));
        r->rollBackTo(r->lastEpoch() - 100'000);
        r->add(0.25);
    }
    QVERIFY(back == h);
    QVERIFY(back.overview() == h.overview());
}

void TestSession::impossibleSavedHistoriesAreRefused_data()
{
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("reason");
    QTest::newRow("first recent epoch 0") << 0 << "below 1";
    QTest::newRow("too many recent losses") << 1 << "recent losses";
    QTest::newRow("NaN loss") << 2 << "not a finite number";
    QTest::newRow("overview of another capacity") << 3 << "capacity";
    QTest::newRow("stride not a power of two") << 4 << "power of two";
    QTest::newRow("overview epochs out of order") << 5 << "out of order";
    QTest::newRow("held-out loss after the last epoch") << 6 << "after the last epoch";
    QTest::newRow("negative time") << 7 << "training time";
    QTest::newRow("capacity of 2^40") << 8 << "capacity";
}

void TestSession::impossibleSavedHistoriesAreRefused()
{
    QFETCH(int, which);
    QFETCH(QString, reason);
    RunHistory h;
    for (int e = 0; e < 100; ++e)
        h.add(1.0);
    RunHistory::Saved s = h.saved();
    switch (which) {
    case 0: s.recentFirst = 0; break;
    case 1: s.recent.assign(2 * RunHistory::kRecentEpochs, 1.0); break;
    case 2: s.recent[3] = std::numeric_limits<double>::quiet_NaN(); break;
    case 3: s.overview.capacity = 100; break;
    case 4: s.overview.stride = 3; break;
    case 5: std::swap(s.overview.kept[0], s.overview.kept[1]); break;
    case 6: s.validation = {{101, 1.0}}; break;
    case 7: s.seconds = -1.0; break;
    case 8: {
        LossHistory::Saved o = s.overview;
        o.capacity = std::size_t(1) << 40;
        try {
            LossHistory l(o);
            QFAIL("accepted");
        } catch (const std::invalid_argument &e) {
            QVERIFY2(QString(e.what()).contains(reason), e.what());
        }
        return;
    }
    }
    try {
        RunHistory r(s);
        QFAIL("accepted");
    } catch (const std::invalid_argument &e) {
        QVERIFY2(QString(e.what()).contains(reason), e.what());
    }
}

// The weights kept at the lowest held-out NLL are those that scored it: scored again, in the
// trainer (restoreBest) and as a predictor's mixture, they give the same loss exactly.
void TestSession::bestWeightsAreTheOnesScored()
{
    std::vector<TrainConfig> runs = bothModels();
    runs[1].optimizer.learningRate = 0.03; // overfits 200 points: the best epoch is not the last
    SessionOptions options = withGenerator(250);
    options.reproducibleSchedule = true; // scored at the same epochs whatever the machine's load
    Session s(inverseData(250), options, runs);
    s.train(1500);
    for (std::size_t r = 0; r < s.runCount(); ++r) {
        const long best = s.bestEpoch(r);
        QVERIFY(best >= 0 && best <= s.epoch());
        // The recorded held-out loss at the best epoch is the lowest recorded.
        double lowest = std::numeric_limits<double>::infinity();
        bool found = false;
        for (const RunHistory::Point &p : s.history(r).validation) {
            lowest = std::min(lowest, p.value);
            if (p.epoch == best) {
                QCOMPARE(p.value, s.bestValidation(r));
                found = true;
            }
        }
        QVERIFY(found);
        QCOMPARE(s.bestValidation(r), lowest);
        QCOMPARE(s.bestPredictor(r).epoch, best);
    }
    // The MDN's best epoch came before the end and its weights differ from the last ones.
    const double last = s.trainer(1).loss(s.validationData());
    QVERIFY2(s.bestEpoch(1) < s.epoch(), qPrintable(QString::number(s.bestEpoch(1))));
    QVERIFY(s.bestValidation(1) < last);
    // Re-scored with the best weights put back: the same figure, bit for bit.
    const long epoch = s.trainer(1).epoch();
    QVERIFY(s.restoreBest(1));
    QCOMPARE(s.trainer(1).loss(s.validationData()), s.bestValidation(1));
    QCOMPARE(s.trainer(1).epoch(), epoch);
    const Eigen::MatrixXd X = Eigen::RowVectorXd::LinSpaced(50, -1.0, 11.0);
    QVERIFY(s.trainer(1).predictAt(X) == s.bestPredictor(1).predictAt(X));
}

// The held-out points are scored at the end of a train() call whatever the schedule, so that
// the best weights are never a stride behind; a restored session knows no best weights.
void TestSession::theLastEpochIsScored()
{
    Session s(inverseData(500), withGenerator(500), bothModels());
    for (long epochs : {37L, 301L, 1L}) {
        s.train(epochs);
        for (std::size_t r = 0; r < s.runCount(); ++r)
            QCOMPARE(s.history(r).validation.back().epoch, s.epoch());
    }
    // The best weights are part of the state: a restored session has them.
    Session copy(inverseData(500), withGenerator(500), bothModels());
    copy.restore(s.state());
    QCOMPARE(copy.bestEpoch(1), s.bestEpoch(1));
    QCOMPARE(copy.bestValidation(1), s.bestValidation(1));
    const Eigen::MatrixXd X = Eigen::RowVectorXd::LinSpaced(20, -1.0, 11.0);
    QVERIFY(copy.bestPredictor(1).predictAt(X) == s.bestPredictor(1).predictAt(X));
    // Best weights that cannot be the run's are refused, and nothing changes.
    Session::State bad = s.state();
    bad.best[1].parameters.resize(3);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, copy.restore(bad));
    bad = s.state();
    bad.best[1].epoch = s.epoch() + 1;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, copy.restore(bad));
    QCOMPARE(copy.bestEpoch(1), s.bestEpoch(1));
    // A state saved without them (older files): none until scored again.
    Session::State without = s.state();
    without.best.clear();
    copy.restore(without);
    QCOMPARE(copy.bestEpoch(1), -1L);
    QVERIFY(std::isnan(copy.bestValidation(1)));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, copy.bestPredictor(1));
    QVERIFY(!copy.restoreBest(1));
    copy.train(1);
    QCOMPARE(copy.bestEpoch(1) >= 0, true);
}

// Every run of a session trains and is scored on the same points, whatever its config; the
// shown run (snapshot, lossPoints) follows showRun.
void TestSession::runsInOneSessionShareTheSplit()
{
    std::vector<TrainConfig> runs;
    for (int k : {1, 3, 5}) {
        TrainConfig c = defaultConfig(ModelKind::Mdn);
        c.mixtures = k;
        c.seed = std::uint64_t(k);
        runs.push_back(c);
    }
    // Scored on the schedule of the data's sizes: the measured one follows the machine's load,
    // and the best held-out loss with it.
    SessionOptions options = withGenerator(400);
    options.reproducibleSchedule = true;
    Session s(inverseData(400), options, runs);
    s.train(50);
    for (std::size_t r = 0; r < s.runCount(); ++r)
        QCOMPARE(s.trainer(r).standardiser().xMean, s.trainer(0).standardiser().xMean);
    Session alone(inverseData(400), options, {runs[2]});
    QCOMPARE(alone.trainingData().x, s.trainingData().x);
    QCOMPARE(alone.validationData().y, s.validationData().y);
    alone.train(50);
    // A run trains the same in company as alone: same data, same split, same weights.
    QVERIFY(alone.trainer(0).parameters() == s.trainer(2).parameters());
    QCOMPARE(alone.bestValidation(0), s.bestValidation(2));
    QCOMPARE(s.shownRun(ModelKind::Mdn).value(), std::size_t(0));
    s.showRun(2);
    QCOMPARE(s.shownRun(ModelKind::Mdn).value(), std::size_t(2));
    QCOMPARE(s.latestValidation(ModelKind::Mdn), s.history(2).validation.back().value);
}

// With the reproducible schedule, a run scores the same epochs, and keeps the same best
// weights, alone or in company, on one thread or two.
void TestSession::aReproducibleScheduleScoresTheSameEpochs()
{
    SessionOptions o = withGenerator(600);
    o.reproducibleSchedule = true;
    o.validationPercent = 50; // a scoring then costs about a third of an epoch: not every epoch
    std::vector<TrainConfig> runs = bothModels();
    runs[1].optimizer.learningRate = 0.03;
    Session together(inverseData(600), o, runs);
    together.train(700);
    Session alone(inverseData(600), o, {runs[1]});
    alone.train(300);
    alone.train(400); // in two calls: the last epoch of each is scored, the rest as one call
    const auto epochsOf = [](const RunHistory &h) {
        std::vector<long> e;
        for (const RunHistory::Point &p : h.validation)
            e.push_back(p.epoch);
        return e;
    };
    std::vector<long> a = epochsOf(together.history(1)), b = epochsOf(alone.history(0));
    b.erase(std::remove(b.begin(), b.end(), 300L), b.end()); // the first call's end
    a.erase(std::remove(a.begin(), a.end(), 300L), a.end());
    QCOMPARE(a, b);
    QVERIFY(a.size() > 17 && a.size() < 300 && a.back() == 700);
    if (together.bestEpoch(1) != 300 && alone.bestEpoch(0) != 300) {
        QCOMPARE(alone.bestEpoch(0), together.bestEpoch(1));
        QCOMPARE(alone.bestValidation(0), together.bestValidation(1));
    }
}

// A run added to a trained session starts at epoch 0 and is brought up to the others first; it
// trains on the same split as the session's own runs: its weights are those of the same config
// trained alone.
void TestSession::anAddedRunCatchesUpOnTheSameSplit()
{
    SessionOptions options = withGenerator(300);
    options.reproducibleSchedule = true;
    Session s(inverseData(300), options, bothModels());
    s.train(20);
    TrainConfig extra = defaultConfig(ModelKind::Mdn);
    extra.mixtures = 3;
    extra.seed = 7;
    const std::size_t added = s.addRun(extra);
    QCOMPARE(added, std::size_t(2));
    QCOMPARE(s.epoch(), 0L); // the session's epoch is its slowest run's
    s.train(12);
    QCOMPARE(s.trainer(added).epoch(), 12L);
    QCOMPARE(s.trainer(1).epoch(), 20L); // not trained while the new run caught up
    s.train(10); // to epoch 22: every run
    for (std::size_t r = 0; r < s.runCount(); ++r)
        QCOMPARE(s.trainer(r).epoch(), 22L);
    Session alone(inverseData(300), options, {extra});
    alone.train(22);
    QVERIFY(alone.trainer(0).parameters() == s.trainer(added).parameters());
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, s.removeRun(3));
}

void TestSession::removingARunKeepsTheShownOne()
{
    std::vector<TrainConfig> runs = bothModels();
    for (int k : {2, 3}) {
        TrainConfig c = defaultConfig(ModelKind::Mdn);
        c.mixtures = k;
        runs.push_back(c);
    }
    Session s(inverseData(200), withGenerator(200), runs);
    s.showRun(3);
    const Eigen::VectorXf shown = s.trainer(3).parameters();
    s.removeRun(2);
    QCOMPARE(s.runCount(), std::size_t(3));
    QCOMPARE(s.shownRun(ModelKind::Mdn).value(), std::size_t(2)); // moved up with its run
    QVERIFY(s.trainer(2).parameters() == shown);
    s.removeRun(2); // the shown run itself: back to the first MDN
    QCOMPARE(s.shownRun(ModelKind::Mdn).value(), std::size_t(1));
    s.removeRun(0);
    QVERIFY(!s.shownRun(ModelKind::Mse));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.removeRun(0)); // the last run stays
}

// A run's losses as the comparison views get them: every kept epoch's training loss, the
// held-out ones where scored, in pieces that join up exactly.
void TestSession::runLossesAreTheHistorys()
{
    Session s(inverseData(300), withGenerator(300), bothModels());
    s.train(40);
    std::vector<RunLossPoint> all = s.runLossPoints(1, -1);
    s.train(25);
    const std::vector<RunLossPoint> more = s.runLossPoints(1, all.back().epoch);
    QCOMPARE(more.front().epoch, 41L);
    all.insert(all.end(), more.begin(), more.end());
    QCOMPARE(long(all.size()), 66L); // epoch 0 (held-out only) to 65
    std::size_t scored = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        QCOMPARE(all[i].epoch, long(i));
        if (i > 0)
            QCOMPARE(all[i].train, s.history(1).loss(long(i)));
        scored += std::isnan(all[i].validation) ? 0 : 1;
    }
    QVERIFY(std::isnan(all[0].train));
    QCOMPARE(scored, s.history(1).validation.size());
    QCOMPARE(all.back().validation, s.history(1).validation.back().value);
    QVERIFY(s.runLossPoints(1, 65).empty());

    // A long history: the held-out losses between the overview's stride, before the recent
    // epochs, are sent too.
    Session::State state = s.state();
    RunHistory h;
    const long n = long(3 * RunHistory::kRecentEpochs);
    for (long e = 1; e <= n; ++e)
        h.add(double(e));
    for (long e = 3; e < h.firstRecentEpoch(); e += 1001)
        h.validation.push_back({e, -double(e)});
    QVERIFY(h.validation.size() > 100);
    state.histories[1] = h;
    state.trainers[1].epoch = n;
    state.best.clear();
    s.restore(state);
    const std::vector<RunLossPoint> longRun = s.runLossPoints(1, -1);
    std::size_t found = 0;
    for (const RunLossPoint &p : longRun)
        if (!std::isnan(p.validation)) {
            QCOMPARE(p.validation, -double(p.epoch));
            ++found;
        }
    QCOMPARE(found, h.validation.size());
}

// preferBest: the shown MDN is drawn with its best weights (the predictor of the best epoch, the
// best held-out loss); the run views label each run by what differs from the settings' own.
void TestSession::theViewsShowTheBestWeightsWhenAsked()
{
    std::vector<TrainConfig> runs = bothModels();
    runs[1].optimizer.learningRate = 0.03; // overfits 250 points: the best epoch is not the last
    TrainConfig other = runs[1];
    other.mixtures = 3;
    other.hidden = {12};
    runs.push_back(other);
    SessionOptions options = withGenerator(250);
    options.reproducibleSchedule = true;
    Session s(inverseData(250), options, runs);
    s.train(1200);
    QVERIFY(s.bestEpoch(1) < s.epoch());
    SnapshotRequest latest;
    latest.densityRows = 0;
    latest.runViews = true;
    SnapshotRequest best = latest;
    best.preferBest = true;
    const Snapshot a = s.snapshot(latest), b = s.snapshot(best);
    QVERIFY(!a.showingBest && b.showingBest);
    QCOMPARE(a.mdnPredictor->epoch, s.epoch());
    QCOMPARE(b.mdnPredictor->epoch, s.bestEpoch(1));
    QCOMPARE(b.validationNll, s.bestValidation(1));
    QVERIFY(a.meanCurve != b.meanCurve);
    QCOMPARE(b.mdnLoss, a.mdnLoss); // the training loss stays the last epoch's
    QCOMPARE(b.runs.size(), std::size_t(2)); // the MDN runs only
    QCOMPARE(b.runs[0].label, std::string());
    QCOMPARE(b.runs[1].label, std::string("K = 3, H = 12"));
    QVERIFY(b.runs[0].shown && !b.runs[1].shown);
    QVERIFY(b.runs[0].best && !a.runs[0].best);
    QCOMPARE(b.runs[1].bestEpoch, s.bestEpoch(2));
    QCOMPARE(b.runs[1].trainLoss, s.trainer(2).lastLoss());
    QCOMPARE(b.runs[1].sampleX.size(), std::size_t(100 * 10));
    s.showRun(2);
    const Snapshot c = s.snapshot(best);
    QVERIFY(!c.runs[0].shown && c.runs[1].shown);
    QCOMPARE(c.validationNll, s.bestValidation(2));
}

// A comparison's run is a change of the settings: applied, then read back from the configs, it
// is the same run.
void TestSession::runChangesRoundTrip()
{
    Settings settings;
    const RunChange change = {{"mixtures", "3"}, {"hidden", "12"}, {"optimizer", "rmsprop"},
                              {"lr", "0.003"},   {"batch", "64"},  {"seed", "9"}};
    TrainConfig config;
    std::string why;
    QVERIFY(applyChange(settings, change, config, why));
    QCOMPARE(config.mixtures, 3);
    QCOMPARE(config.hidden, std::vector<int>{12});
    QCOMPARE(config.optimizer.kind, OptimizerKind::RMSProp);
    QCOMPARE(config.seed, std::uint64_t(9));
    const TrainConfig reference = settings.modelConfig(ModelKind::Mdn);
    QCOMPARE(describeDifferences(reference, config),
             std::string("K = 3, H = 12, RMSProp, lr = 0.003, batch 64, seed 9"));
    TrainConfig again;
    QVERIFY(applyChange(settings, changeBetween(reference, config), again, why));
    QVERIFY(describeDifferences(config, again).empty());
    QCOMPARE(again.optimizer.beta2, config.optimizer.beta2);
    QVERIFY(!applyChange(settings, {{"mixtures", "0"}}, config, why));
    QVERIFY2(why.find("mixtures") == 0, why.c_str());
    QVERIFY(!applyChange(settings, {{"mse-hidden", "5"}}, config, why));
    QVERIFY(describeDifferences(reference, reference).empty());
}

QTEST_APPLESS_MAIN(TestSession)
#include "tst_session.moc"
