// The datasets, the trainer and what the trained models must achieve.

#include "dataset.h"
#include "drawing.h"
#include "fuzzy.h"
#include "losshistory.h"
#include "mdn.h"
#include "rng.h"
#include "scale.h"
#include "snapshot.h"
#include "trainer.h"

#include <QElapsedTimer>
#include <QtTest/QTest>

#include <cmath>
#include <thread>

using namespace mdn;

namespace {

Dataset inverseData(std::size_t points, std::uint64_t seed)
{
    GeneratorSpec g;
    g.generator = Generator::InverseSinusoid;
    g.points = points;
    g.seed = seed;
    return generate(g);
}

double normalPdf(double x, double mu, double sd)
{
    return std::exp(-0.5 * (x - mu) * (x - mu) / (sd * sd)) / (sd * std::sqrt(2 * M_PI));
}

// A two-link arm (link lengths 0.8 and 0.2, Bishop 1994): inputs the joint angles' end point
// (x1, x2), targets the angles (theta1, theta2), noise free: two inputs, two targets, two
// answers (elbow up, elbow down) for many end points.
Dataset armData(std::size_t points, std::uint64_t seed)
{
    Rng rng(seed);
    Dataset d;
    d.inputDims = 2;
    d.targetDims = 2;
    d.inputNames = {"x1", "x2"};
    d.targetNames = {"theta1", "theta2"};
    for (std::size_t i = 0; i < points; ++i) {
        const double t1 = rng.uniform(0.3, 1.2), t2 = rng.uniform(M_PI / 2, 3 * M_PI / 2);
        const double in[2] = {0.8 * std::cos(t1) + 0.2 * std::cos(t1 + t2),
                              0.8 * std::sin(t1) + 0.2 * std::sin(t1 + t2)};
        const double out[2] = {t1, t2};
        d.addPoint(in, out);
    }
    return d;
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void generatorsFollowTheirDefinition_data();
    void generatorsFollowTheirDefinition();
    void generatorIsDeterministicPerSeed();
    void trueDensityIntegratesToOne_data();
    void trueDensityIntegratesToOne();
    void bayesNllOfForwardProblemIsTheGaussianNll();
    void nllOfHandComputedTwoComponentMixture();
    void nllStaysFiniteForExtremeOutputs();
    void mixtureTemperatures();
    void trainingIsDeterministicPerSeed();
    void everyOptimizerReducesTheLoss_data();
    void everyOptimizerReducesTheLoss();
    void miniBatchTrainingReducesTheLoss();
    void reportedLossesAreInDataUnits();
    void mdnBeatsSingleGaussianAndMseAveragesTheBranches();
    void mdnGeneralisesOnHeldOutData();
    void divergenceIsRecoveredAndWeightsStayFinite();
    void hostileTargetsStayFinite_data();
    void hostileTargetsStayFinite();
    void stopFlagInterruptsTraining();
    void badInputIsRefused();
    void divergenceGivesUpAfterMaxRecoveriesWithFiniteWeights();
    void miniBatchDivergenceRollsBackMidEpoch();
    void aStoppedStepChangesNothing();
    void blockedFullBatchGradientEqualsTheUnblockedOne();
    void aRestoredTrainerContinuesBitIdentically_data();
    void aRestoredTrainerContinuesBitIdentically();
    void aStoppedMiniBatchEpochResumesWhereItStopped();
    void trainsSeveralInputsAndTargets();
    void rollbacksUndoTheirEpochs();
    void lossHistoryStaysBounded();
    void lossHistoryDropsUndoneEpochs();
    void columnMomentsAtTheEndsOfTheRange_data();
    void columnMomentsAtTheEndsOfTheRange();
    void theBrushSpraysAroundItsCentre();
    void theEraserTakesExactlyThePointsInsideIt();
};

void TestModel::generatorsFollowTheirDefinition_data()
{
    QTest::addColumn<int>("generator");
    QTest::newRow("sinusoid") << int(Generator::Sinusoid);
    QTest::newRow("inverse-sinusoid") << int(Generator::InverseSinusoid);
    QTest::newRow("bishop") << int(Generator::Bishop);
}

void TestModel::generatorsFollowTheirDefinition()
{
    QFETCH(int, generator);
    const Generator g = Generator(generator);
    GeneratorSpec spec;
    spec.generator = g;
    spec.points = 2000;
    spec.noise = defaultNoise(g);
    const Dataset d = generate(spec);
    QCOMPARE(d.size(), std::size_t(2000));
    QCOMPARE(d.name, std::string(generatorName(g)));
    QCOMPARE(generatorFromName(generatorName(g)).value(), g);
    double residual2 = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        switch (g) {
        case Generator::Sinusoid:
            QVERIFY(std::abs(d.x[i]) <= 10.5);
            residual2 += std::pow(d.y[i] - sinusoidCurve(d.x[i]), 2);
            break;
        case Generator::InverseSinusoid:
            QVERIFY(std::abs(d.y[i]) <= 10.5);
            residual2 += std::pow(d.x[i] - sinusoidCurve(d.y[i]), 2);
            break;
        case Generator::Bishop: {
            QVERIFY(d.y[i] >= 0.0 && d.y[i] < 1.0);
            const double r = d.x[i] - (d.y[i] + 0.3 * std::sin(2 * M_PI * d.y[i]));
            QVERIFY(std::abs(r) <= 0.1);
            residual2 += r * r;
            break;
        }
        case Generator::RobotArm:
        case Generator::RobotArmForward:
            QFAIL("the arm's points are two-dimensional: see tst_robotarm");
        }
    }
    // The noise has the stated size: N(0, 1) has variance 1, U(-0.1, 0.1) has variance 0.01/3.
    const double expected = g == Generator::Bishop ? 0.01 / 3.0 : 1.0;
    MDN_COMPARE_NEAR(residual2 / double(d.size()), expected, 0.0, 0.1);
}

void TestModel::generatorIsDeterministicPerSeed()
{
    const Dataset a = inverseData(100, 5), b = inverseData(100, 5), c = inverseData(100, 6);
    QCOMPARE(a.x, b.x);
    QCOMPARE(a.y, b.y);
    QVERIFY(a.x != c.x);
}

void TestModel::trueDensityIntegratesToOne_data()
{
    QTest::addColumn<int>("generator");
    QTest::addColumn<double>("x");
    QTest::newRow("sinusoid x=3") << int(Generator::Sinusoid) << 3.0;
    QTest::newRow("inverse x=0 (five branches)") << int(Generator::InverseSinusoid) << 0.0;
    QTest::newRow("inverse x=12") << int(Generator::InverseSinusoid) << 12.0;
    QTest::newRow("bishop x=0.5 (three branches)") << int(Generator::Bishop) << 0.5;
}

void TestModel::trueDensityIntegratesToOne()
{
    QFETCH(int, generator);
    QFETCH(double, x);
    const Generator g = Generator(generator);
    const Range r = trueYRange(g, defaultNoise(g));
    std::vector<double> ys;
    const int n = 20001;
    const double step = (r.hi - r.lo) / (n - 1);
    for (int i = 0; i < n; ++i)
        ys.push_back(r.lo + step * i);
    const std::vector<double> p = trueConditionalDensity(g, defaultNoise(g), x, ys);
    double integral = 0.0;
    for (double v : p)
        integral += v * step;
    MDN_COMPARE_NEAR(integral, 1.0, 0.005, 0.0);
}

void TestModel::bayesNllOfForwardProblemIsTheGaussianNll()
{
    GeneratorSpec spec;
    spec.generator = Generator::Sinusoid;
    spec.points = 20000;
    spec.noise = 0.5;
    const Dataset d = generate(spec);
    // E[-log N(e; 0, s)] = log(s sqrt(2 pi)) + 1/2.
    MDN_COMPARE_NEAR(bayesNll(Generator::Sinusoid, 0.5, d), std::log(0.5 * std::sqrt(2 * M_PI)) + 0.5,
                     0.02, 0.0);
}

void TestModel::nllOfHandComputedTwoComponentMixture()
{
    // pi = (0.25, 0.75) from logits (0, log 3); mu = (-1, 2); sigma = (0.5, 1.5); t = (0, 1.5).
    const int K = 2;
    const double floor = 1e-6;
    Matrix<double> Z(2, 3 * K);
    for (int j = 0; j < 2; ++j) {
        Z(j, 0) = 0.0;
        Z(j, 1) = std::log(3.0);
        Z(j, 2) = -1.0;
        Z(j, 3) = 2.0;
        Z(j, 4) = std::log(0.5 - floor);
        Z(j, 5) = std::log(1.5 - floor);
    }
    Matrix<double> T(2, 1);
    T << 0.0, 1.5;
    double expected = 0.0;
    for (int j = 0; j < 2; ++j)
        expected -= std::log(0.25 * normalPdf(T(j, 0), -1, 0.5) + 0.75 * normalPdf(T(j, 0), 2, 1.5));
    expected /= 2;
    MdnWorkspace<double> ws;
    MDN_COMPARE_NEAR(mdnLoss<double>(Z, T, K, floor, nullptr, ws), expected, 1e-12, 1e-10);
    // Float gives the same to single precision.
    MdnWorkspace<float> wsf;
    const Matrix<float> Zf = Z.cast<float>(), Tf = T.cast<float>();
    MDN_COMPARE_NEAR(mdnLoss<float>(Zf, Tf, K, float(floor), nullptr, wsf), expected, 1e-5, 1e-5);
}

void TestModel::nllStaysFiniteForExtremeOutputs()
{
    // Huge logits, a target 1e6 widths away, widths at both extremes: the log-sum-exps keep
    // every value finite (the loss is large, not NaN).
    const int K = 3;
    Matrix<float> Zt(3 * K, 3);
    Zt << 80, -80, 0,     //
        -80, 80, 0,       //
        0, 0, 0,          //
        0, 1e6f, -3e4f,   //
        1, -1e6f, 3e4f,   //
        2, 0, 0,          //
        -200, 200, 50,    //
        -200, -200, -50,  //
        -200, 0, 1e30f;
    const Matrix<float> Z = Zt.transpose(); // one row per observation
    Matrix<float> T(3, 1);
    T << 1e6f, -1e6f, 0;
    Matrix<float> dZ;
    MdnWorkspace<float> ws;
    const float loss = mdnLoss<float>(Z, T, K, 1e-3f, &dZ, ws);
    QVERIFY(std::isfinite(loss));
    QVERIFY(dZ.allFinite());
}

void TestModel::mixtureTemperatures()
{
    const int K = 2;
    Matrix<float> Z(1, 3 * K);
    Z << 0.0f, std::log(3.0f), -1, 2, std::log(0.5f), std::log(1.5f);
    Array<double> pi, mu, sigma;
    mixtureParameters<float>(Z, K, 1, 0.0f, 1.0, 1.0, pi, mu, sigma);
    MDN_COMPARE_NEAR(pi(0, 0), 0.25, 1e-6, 0);
    MDN_COMPARE_NEAR(sigma(1, 0), 1.5, 1e-6, 0);
    mixtureParameters<float>(Z, K, 1, 0.0f, 0.0, 0.0, pi, mu, sigma);
    QCOMPARE(pi(1, 0), 1.0); // temperature 0: the most probable component only
    QCOMPARE(sigma(0, 0), 0.0);
    mixtureParameters<float>(Z, K, 1, 0.0f, 1e6, 4.0, pi, mu, sigma);
    MDN_COMPARE_NEAR(pi(0, 0), 0.5, 1e-5, 0); // very hot: uniform
    MDN_COMPARE_NEAR(sigma(0, 0), 1.0, 1e-6, 0);
}

void TestModel::trainingIsDeterministicPerSeed()
{
    const Dataset d = inverseData(300, 3);
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.batch = 64;
    Trainer a(d, c), b(d, c);
    a.train(20);
    b.train(20);
    QCOMPARE(a.lastLoss(), b.lastLoss());
    QVERIFY(a.net().parameters() == b.net().parameters());
    c.seed = 4;
    Trainer other(d, c);
    other.train(20);
    QVERIFY(other.lastLoss() != a.lastLoss());
}

void TestModel::everyOptimizerReducesTheLoss_data()
{
    QTest::addColumn<int>("optimizer");
    QTest::addColumn<double>("lr");
    QTest::newRow("adam") << int(OptimizerKind::Adam) << 0.01;
    QTest::newRow("rmsprop") << int(OptimizerKind::RMSProp) << 0.003;
    QTest::newRow("sgd") << int(OptimizerKind::SGD) << 0.01;
}

void TestModel::everyOptimizerReducesTheLoss()
{
    QFETCH(int, optimizer);
    QFETCH(double, lr);
    GeneratorSpec g;
    g.generator = Generator::Sinusoid;
    const Dataset d = generate(g);
    for (ModelKind kind : {ModelKind::Mse, ModelKind::Mdn}) {
        TrainConfig c = defaultConfig(kind);
        c.optimizer.kind = OptimizerKind(optimizer);
        c.optimizer.learningRate = lr;
        if (c.optimizer.kind == OptimizerKind::RMSProp)
            c.optimizer.beta2 = 0.9;
        Trainer t(d, c);
        t.train(1);
        const double first = t.lastLoss();
        t.train(500);
        QVERIFY2(t.lastLoss() < first - (kind == ModelKind::Mse ? 0.5 * first : 0.3),
                 qPrintable(QString("%1: %2 -> %3").arg(modelName(kind)).arg(first).arg(t.lastLoss())));
        QVERIFY(t.faults().empty());
    }
}

void TestModel::miniBatchTrainingReducesTheLoss()
{
    const Dataset d = inverseData(5000, 2);
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.batch = 256;
    c.optimizer.learningRate = 0.003;
    Trainer t(d, c);
    t.train(1);
    const double first = t.lastLoss();
    QCOMPARE(t.train(40), 40L);
    QCOMPARE(t.epoch(), 41L);
    QVERIFY2(t.lastLoss() < first - 0.5, qPrintable(QString("%1 -> %2").arg(first).arg(t.lastLoss())));
}

void TestModel::reportedLossesAreInDataUnits()
{
    // Scaling the targets by 1000 scales the MSE by 10^6 and shifts the NLL by log(1000): the
    // models see the same standardised problem.
    Dataset d = inverseData(400, 8);
    Dataset scaled = d;
    for (double &y : scaled.y)
        y *= 1000.0;
    for (ModelKind kind : {ModelKind::Mse, ModelKind::Mdn}) {
        Trainer a(d, defaultConfig(kind)), b(scaled, defaultConfig(kind));
        a.train(50);
        b.train(50);
        if (kind == ModelKind::Mse)
            MDN_COMPARE_NEAR(b.lastLoss(), a.lastLoss() * 1e6, 0, 1e-3);
        else
            MDN_COMPARE_NEAR(b.lastLoss(), a.lastLoss() + std::log(1000.0), 1e-3, 0);
        MDN_COMPARE_NEAR(b.loss(scaled), b.lastLoss(), 0.05 * std::abs(b.lastLoss()), 0.05);
    }
}

void TestModel::mdnBeatsSingleGaussianAndMseAveragesTheBranches()
{
    const Dataset d = inverseData(1000, 1);
    TrainConfig one = defaultConfig(ModelKind::Mdn);
    one.mixtures = 1;
    Trainer single(d, one), mixture(d, defaultConfig(ModelKind::Mdn)), mse(d, defaultConfig(ModelKind::Mse));
    single.train(2000);
    mixture.train(2000);
    mse.train(2000);
    // A single gaussian can do no better than a gaussian around the conditional mean.
    QVERIFY2(mixture.lastLoss() < single.lastLoss() - 0.8,
             qPrintable(QString("K=10 %1, K=1 %2").arg(mixture.lastLoss()).arg(single.lastLoss())));
    // The best possible MSE (the conditional variance around the branches' average) is about 20.8.
    QVERIFY2(mse.lastLoss() > 19.0 && mse.lastLoss() < 24.0, qPrintable(QString::number(mse.lastLoss())));
    // ...and the MSE prediction is the average: near 0 in the middle, where the branches are symmetric.
    const double middle = mse.predict({0.0}).front();
    QVERIFY2(std::abs(middle) < 2.0, qPrintable(QString::number(middle)));
}

void TestModel::mdnGeneralisesOnHeldOutData()
{
    // The default data size with 20% held out: 3200 training points. Scored on 5000 fresh points,
    // the default MDN comes within 0.1 nats of the best any model can do (about 0.05 measured).
    const Dataset train = inverseData(kDefaultPoints * 4 / 5, 1);
    const Dataset heldOut = inverseData(5000, 20231124);
    Trainer t(train, defaultConfig(ModelKind::Mdn));
    t.train(3000);
    const double nll = t.loss(heldOut);
    const double bayes = bayesNll(Generator::InverseSinusoid, 1.0, heldOut);
    qInfo("held-out NLL %.4f nats, Bayes-optimal %.4f, gap %.4f, train %.4f", nll, bayes, nll - bayes,
          t.lastLoss());
    QVERIFY2(nll - bayes < 0.1, qPrintable(QString("gap %1").arg(nll - bayes)));
    QVERIFY2(nll - bayes > -0.05, qPrintable(QString("gap %1").arg(nll - bayes))); // no model beats it

    // The samples follow the branches: a sample (x, y) of the inverse problem lies on the true
    // curve x = f(y) up to the noise.
    Snapshot s;
    SnapshotRequest r;
    fillSnapshot(s, nullptr, &t, train, r);
    QCOMPARE(s.sampleX.size(), std::size_t(200 * 10));
    std::size_t close = 0;
    for (std::size_t i = 0; i < s.sampleX.size(); ++i)
        close += std::abs(s.sampleX[i] - sinusoidCurve(s.sampleY[i])) <= 2.5 ? 1 : 0;
    const double fraction = double(close) / double(s.sampleX.size());
    QVERIFY2(fraction >= 0.9, qPrintable(QString::number(fraction)));
}

void TestModel::divergenceIsRecoveredAndWeightsStayFinite()
{
    const Dataset d = inverseData(500, 1);
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.optimizer.learningRate = 1e6;
    Trainer t(d, c);
    t.train(200);
    QVERIFY(!t.faults().empty());
    QVERIFY(t.net().parameters().allFinite());
    QVERIFY(t.learningRate() < 1e6);
    QVERIFY(t.faults().front().message.find("rolled back") != std::string::npos);
    QVERIFY(std::isfinite(t.loss(d)));
    if (t.epoch() > 0)
        QVERIFY(std::isfinite(t.lastLoss()));

    // The guard really recovers: halving from 1e6 reaches a learning rate that trains, and the
    // MSE net ends near its best possible error (about 20.8) instead of failing.
    TrainConfig m = defaultConfig(ModelKind::Mse);
    m.optimizer.learningRate = 1e6;
    Trainer mse(inverseData(1000, 1), m);
    mse.train(600);
    QVERIFY2(!mse.failed(), mse.faults().empty() ? "" : mse.faults().back().message.c_str());
    QVERIFY2(mse.lastLoss() < 25.0, qPrintable(QString::number(mse.lastLoss())));
}

void TestModel::hostileTargetsStayFinite_data()
{
    QTest::addColumn<double>("scale");
    QTest::addColumn<bool>("constant");
    QTest::newRow("targets x 1e12") << 1e12 << false;
    QTest::newRow("targets x 1e-12") << 1e-12 << false;
    QTest::newRow("constant target") << 1.0 << true;
}

void TestModel::hostileTargetsStayFinite()
{
    QFETCH(double, scale);
    QFETCH(bool, constant);
    Dataset d = inverseData(300, 1);
    for (double &y : d.y)
        y = constant ? 42.0 : y * scale;
    for (ModelKind kind : {ModelKind::Mse, ModelKind::Mdn}) {
        Trainer t(d, defaultConfig(kind));
        t.train(300);
        QVERIFY(std::isfinite(t.lastLoss()));
        QVERIFY(t.net().parameters().allFinite());
        for (double y : t.predict({-10.0, 0.0, 10.0}))
            QVERIFY(std::isfinite(y));
    }
}

void TestModel::stopFlagInterruptsTraining()
{
    const Dataset d = inverseData(200, 1);
    Trainer t(d, defaultConfig(ModelKind::Mdn));
    std::atomic<bool> stop{false};
    const long done = t.train(1000000, &stop, [&](long epoch, double) {
        if (epoch == 25)
            stop = true;
        return true;
    });
    QCOMPARE(done, 25L);
    QCOMPARE(t.epoch(), 25L);
}

void TestModel::badInputIsRefused()
{
    Dataset empty;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Trainer(empty, defaultConfig(ModelKind::Mdn)));
    Dataset nan = inverseData(10, 1);
    nan.y[3] = std::nan("");
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Trainer(nan, defaultConfig(ModelKind::Mdn)));
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.mixtures = 0;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Trainer(inverseData(10, 1), c));
    Trainer mse(inverseData(10, 1), defaultConfig(ModelKind::Mse));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, mse.mixture({0.0}));
}

// A rate no halving can rescue within the recovery budget: training stops with a message, and
// what is left is the last good checkpoint, finite, still usable for predictions and samples.
void TestModel::divergenceGivesUpAfterMaxRecoveriesWithFiniteWeights()
{
    const Dataset d = inverseData(300, 2);
    for (ModelKind kind : {ModelKind::Mse, ModelKind::Mdn}) {
        TrainConfig c = defaultConfig(kind);
        c.optimizer = optimizerDefaults(OptimizerKind::SGD, 1e30);
        Trainer t(d, c);
        t.train(10000);
        QVERIFY(t.failed());
        QCOMPARE(int(t.faults().size()), c.maxRecoveries);
        QVERIFY2(t.faults().back().message.find("stopped after 32 faults") != std::string::npos,
                 t.faults().back().message.c_str());
        QVERIFY(t.net().parameters().allFinite());
        QCOMPARE(t.train(10), 0L); // stays stopped
        QVERIFY(std::isfinite(t.loss(d)));
        for (double y : t.predict({-10.0, 0.0, 10.0}))
            QVERIFY(std::isfinite(y));
        if (kind == ModelKind::Mdn)
            for (const auto &[x, y] : t.sample({-5.0, 5.0}, 20, 3))
                QVERIFY(std::isfinite(x) && std::isfinite(y));
    }
}

// With mini-batches the fault strikes in the middle of an epoch: the rest of that epoch is
// dropped, the epoch is not counted, and the weights are those of the checkpoint.
void TestModel::miniBatchDivergenceRollsBackMidEpoch()
{
    const Dataset d = inverseData(2000, 3);
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.batch = 50;
    c.optimizer.learningRate = 1e6;
    Trainer t(d, c);
    long callbacks = 0;
    const long done = t.train(30, nullptr, [&](long, double loss) {
        ++callbacks;
        return std::isfinite(loss) || t.epoch() == 0; // NaN only before the first epoch
    });
    QVERIFY(!t.faults().empty());
    QVERIFY(t.net().parameters().allFinite());
    QCOMPARE(t.epoch(), done);
    QVERIFY(callbacks >= done + long(t.faults().size()) - 1);
    if (t.epoch() > 0)
        QVERIFY(std::isfinite(t.lastLoss()));
    QVERIFY(std::isfinite(t.loss(d)));
}

// A stop request in the middle of a long full-batch step: the step is abandoned between blocks
// and the weights are exactly those before it.
void TestModel::aStoppedStepChangesNothing()
{
    GeneratorSpec g;
    g.points = 100000;
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.hidden = {512};
    c.mixtures = 32;
    Trainer t(generate(g), c);
    QVERIFY(t.blockSize() < Trainer::kBlock); // a big network takes shorter blocks
    const Trainer::Net::Vector before = t.net().parameters();
    std::atomic<bool> stop{false};
    std::atomic<bool> started{false};
    std::thread stopper([&] {
        while (!started.load())
            std::this_thread::yield();
        stop = true;
    });
    QElapsedTimer clock;
    started = true;
    clock.start();
    const long done = t.train(1, &stop);
    const qint64 ms = clock.elapsed();
    stopper.join();
    QCOMPARE(done, 0L);
    QCOMPARE(t.epoch(), 0L);
    QVERIFY(t.net().parameters() == before);
    QVERIFY(std::isnan(t.lastLoss()));
    // One block, not the 100,000 points of the step (which take seconds).
    QVERIFY2(ms < 250 * MDNVIZ_TIME_SCALE, qPrintable(QString::number(ms)));
    // The validation pass stops the same way, with no figure.
    QVERIFY(std::isnan(t.loss(generate(g), &stop)));
}

// Epochs undone by a rollback are not counted: at a learning rate of 1e12 every step explodes.
void TestModel::rollbacksUndoTheirEpochs()
{
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.optimizer.learningRate = 1e12;
    Trainer t(inverseData(300, 1), c);
    std::vector<long> seen;
    const long kept = t.train(50, nullptr, [&](long epoch, double) {
        seen.push_back(epoch);
        return true;
    });
    QVERIFY(t.failed());
    QCOMPARE(kept, t.epoch());
    QVERIFY2(t.epoch() <= 1, qPrintable(QString::number(t.epoch())));
    QVERIFY(!t.faults().empty());
    QCOMPARE(seen.back(), t.epoch());
}

void TestModel::lossHistoryStaysBounded()
{
    LossHistory h(1000);
    for (long e = 1; e <= 5'000'000; ++e)
        h.add(e, 1.0 / double(e));
    const std::vector<LossHistory::Point> p = h.points();
    QVERIFY2(p.size() <= 1001 && p.size() > 400, qPrintable(QString::number(p.size())));
    QCOMPARE(p.back().epoch, 5'000'000L);
    QCOMPARE(p.back().value, 1.0 / 5e6);
    for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        QCOMPARE(p[i].epoch % h.stride(), 0L);
        QCOMPARE(p[i].value, 1.0 / double(p[i].epoch)); // each point is the loss of its epoch
        QVERIFY(p[i].epoch < p[i + 1].epoch);
    }
    // Evenly spread over the run: the first point comes within one stride of the start.
    QVERIFY(p.front().epoch <= h.stride());
}

void TestModel::lossHistoryDropsUndoneEpochs()
{
    LossHistory h(100);
    for (long e = 1; e <= 50; ++e)
        h.add(e, double(e));
    h.add(40, -1.0); // rolled back to epoch 40
    for (long e = 41; e <= 45; ++e)
        h.add(e, -double(e));
    const std::vector<LossHistory::Point> p = h.points();
    QCOMPARE(p.size(), std::size_t(45));
    QCOMPARE(p[38].value, 39.0);
    QCOMPARE(p[39].value, -1.0);
    QCOMPARE(p.back().epoch, 45L);
}

void TestModel::columnMomentsAtTheEndsOfTheRange_data()
{
    QTest::addColumn<double>("scale");
    QTest::addColumn<bool>("trainable");
    QTest::newRow("1e-300") << 1e-300 << false;
    QTest::newRow("1e-200") << 1e-200 << false;
    QTest::newRow("1e-99") << 1e-99 << true;
    QTest::newRow("1") << 1.0 << true;
    QTest::newRow("1e98") << 1e98 << true;
    QTest::newRow("1e153") << 1e153 << false;
    QTest::newRow("1e300") << 1e300 << false;
}

// Mean and spread come out right at any scale (no underflow at 1e-300, no overflow at 1e300),
// and the range check agrees with the README.
void TestModel::columnMomentsAtTheEndsOfTheRange()
{
    QFETCH(double, scale);
    QFETCH(bool, trainable);
    Dataset d = inverseData(1000, 3);
    const ColumnMoments unit = columnMoments(d.y);
    for (double &y : d.y)
        y *= scale;
    const ColumnMoments m = columnMoments(d.y);
    QVERIFY2(std::abs(m.sd / scale - unit.sd) < 1e-12 * unit.sd, qPrintable(QString::number(m.sd)));
    QVERIFY(std::abs(m.mean / scale - unit.mean) < 1e-12 * unit.sd);
    std::string why;
    QCOMPARE(checkScale(d, why), trainable);
    if (!trainable) {
        QVERIFY(why.find("the y values") == 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Trainer(d, defaultConfig(ModelKind::Mdn)));
    } else {
        const Trainer t(d, defaultConfig(ModelKind::Mdn));
        QVERIFY(std::abs(t.standardiser().yScale[0] / scale - unit.sd) < 1e-12 * unit.sd);
    }
}

// With a batch longer than kBlock the step's gradient is summed over blocks; with plain SGD
// (first step: p -= lr g) the step taken must be the gradient of the whole batch at once,
// computed here in double without blocks.
void TestModel::blockedFullBatchGradientEqualsTheUnblockedOne()
{
    for (const auto &[kind, n] : {std::pair{ModelKind::Mdn, 5000}, std::pair{ModelKind::Mse, 4500}}) {
        const Dataset d = inverseData(std::size_t(n), 3);
        TrainConfig c = defaultConfig(kind);
        c.optimizer = optimizerDefaults(OptimizerKind::SGD, 0.5);
        Trainer t(d, c);
        QCOMPARE(t.blockSize(), Trainer::kBlock);
        QVERIFY(Eigen::Index(n) > 2 * t.blockSize()); // three blocks, the last one shorter
        const Mlp<double> net = t.net().cast<double>();
        Mlp<double>::Workspace ws;
        Matrix<double> X(1, n), T(n, 1), dOut;
        const Standardiser &st = t.standardiser();
        for (int i = 0; i < n; ++i) {
            X(0, i) = double(float((d.x[std::size_t(i)] - st.xMean[0]) / st.xScale[0]));
            T(i, 0) = double(float((d.y[std::size_t(i)] - st.yMean[0]) / st.yScale[0]));
        }
        const Matrix<double> &out = net.forward(X, ws);
        MdnWorkspace<double> mws;
        if (kind == ModelKind::Mdn)
            mdnLoss<double>(out, T, c.mixtures, c.sigmaFloor, &dOut, mws);
        else
            mseLoss<double>(out, T, &dOut);
        Mlp<double>::Vector grad;
        net.backward(X, dOut, ws, grad);

        const Eigen::VectorXd before = t.net().parameters().cast<double>();
        QCOMPARE(t.train(1), 1L);
        const Eigen::VectorXd step = (before - t.net().parameters().cast<double>()) / 0.5;
        // float training: relative agreement to a few parts in 10^5 of the gradient's size.
        const double err = (step - grad).cwiseAbs().maxCoeff() / grad.cwiseAbs().maxCoeff();
        QVERIFY2(err < 1e-4, qPrintable(QString("%1: %2").arg(modelName(kind)).arg(err)));
    }
}

void TestModel::aRestoredTrainerContinuesBitIdentically_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("optimizer");
    QTest::newRow("mdn full batch adam") << int(ModelKind::Mdn) << 0 << int(OptimizerKind::Adam);
    QTest::newRow("mdn mini-batch adam") << int(ModelKind::Mdn) << 64 << int(OptimizerKind::Adam);
    QTest::newRow("mse mini-batch sgd") << int(ModelKind::Mse) << 100 << int(OptimizerKind::SGD);
    QTest::newRow("mdn mini-batch rmsprop") << int(ModelKind::Mdn) << 50 << int(OptimizerKind::RMSProp);
}

// The state taken part way (at an epoch, and in the middle of a mini-batch epoch) and restored
// into a fresh trainer: both go on to the same weights, bit for bit.
void TestModel::aRestoredTrainerContinuesBitIdentically()
{
    QFETCH(int, kind);
    QFETCH(int, batch);
    QFETCH(int, optimizer);
    const Dataset d = inverseData(600, 5);
    TrainConfig c = defaultConfig(ModelKind(kind));
    c.batch = std::size_t(batch);
    c.optimizer = optimizerDefaults(OptimizerKind(optimizer), 0.01);
    Trainer a(d, c);
    a.train(30);
    const TrainerState saved = a.state();
    Trainer b(d, c);
    b.restore(saved);
    QCOMPARE(b.epoch(), a.epoch());
    a.train(40);
    b.train(40);
    QVERIFY(a.net().parameters() == b.net().parameters());
    QCOMPARE(a.lastLoss(), b.lastLoss());
    QCOMPARE(a.state().optimizer.step, b.state().optimizer.step);

    // A state of another model does not fit.
    TrainConfig other = c;
    other.hidden = {3};
    Trainer wrong(d, other);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, wrong.restore(saved));
}

// Stopped again and again at arbitrary moments (between mini-batches and inside steps), a
// trainer that is resumed each time ends where an uninterrupted one does, bit for bit: no
// half-epoch is lost or applied twice, and its state in the middle of an epoch restores too.
void TestModel::aStoppedMiniBatchEpochResumesWhereItStopped()
{
    const Dataset d = inverseData(20000, 2);
    TrainConfig c = defaultConfig(ModelKind::Mdn);
    c.batch = 256;
    Trainer straight(d, c);
    straight.train(4);

    Trainer stopped(d, c);
    bool sawMidEpoch = false;
    int calls = 0;
    while (stopped.epoch() < 4 && calls < 10000) {
        ++calls;
        std::atomic<bool> stop{false};
        std::thread stopper([&stop, calls] {
            std::this_thread::sleep_for(std::chrono::microseconds(200 + 97 * (calls % 13)));
            stop = true;
        });
        stopped.train(4 - stopped.epoch(), &stop);
        stopper.join();
        if (stopped.midEpoch() && !sawMidEpoch) {
            sawMidEpoch = true;
            // Restored in the middle of the epoch, a copy finishes the same way.
            Trainer copy(d, c);
            copy.restore(stopped.state());
            Trainer reference(d, c);
            reference.restore(stopped.state());
            copy.train(4 - copy.epoch());
            reference.train(4 - reference.epoch());
            QVERIFY(copy.net().parameters() == reference.net().parameters());
            QVERIFY(copy.net().parameters() == straight.net().parameters());
        }
    }
    QVERIFY(sawMidEpoch);
    QCOMPARE(stopped.epoch(), 4L);
    QVERIFY(stopped.net().parameters() == straight.net().parameters());
    QCOMPARE(stopped.lastLoss(), straight.lastLoss());
}

// Two inputs, two targets: both models train (their first epoch's loss is the loss of the
// initial weights, in data units with every column's scale), the MDN's NLL falls by nats, and
// queries come back in data units with the data's shape.
void TestModel::trainsSeveralInputsAndTargets()
{
    const Dataset d = armData(2000, 4);
    QVERIFY(d.shapeValid());
    TrainConfig mc = defaultConfig(ModelKind::Mdn);
    mc.mixtures = 4;
    Trainer mdnModel(d, mc);
    Trainer mse(d, defaultConfig(ModelKind::Mse));
    const double nll0 = mdnModel.loss(d);
    {
        Trainer probe(d, mc);
        probe.train(1);
        QVERIFY2(std::abs(probe.lastLoss() - nll0) < 1e-4, qPrintable(QString("%1 vs %2").arg(probe.lastLoss()).arg(nll0)));
        Trainer probe2(d, defaultConfig(ModelKind::Mse));
        const double m0 = probe2.loss(d);
        probe2.train(1);
        QVERIFY2(std::abs(probe2.lastLoss() - m0) < 1e-5 * m0, qPrintable(QString("%1 vs %2").arg(probe2.lastLoss()).arg(m0)));
    }
    mdnModel.train(600);
    mse.train(600);
    QCOMPARE(mdnModel.inputDims(), 2);
    QCOMPARE(mdnModel.targetDims(), 2);
    QVERIFY2(mdnModel.loss(d) < nll0 - 2.0, qPrintable(QString("%1 -> %2").arg(nll0).arg(mdnModel.loss(d))));
    // The loss of an epoch is that of the weights it started from.
    const double now = mdnModel.loss(d);
    mdnModel.train(1);
    QVERIFY2(std::abs(now - mdnModel.lastLoss()) < 0.01,
             qPrintable(QString("%1 vs %2").arg(now).arg(mdnModel.lastLoss())));
    QVERIFY(std::abs(mse.loss(d) - mse.lastLoss()) < 0.01 * mse.lastLoss() + 1e-6);

    Eigen::MatrixXd X(2, 3);
    X << 0.5, 0.6, 0.4,
         0.6, 0.5, 0.7;
    const Eigen::MatrixXd p = mse.predictAt(X);
    QCOMPARE(p.rows(), Eigen::Index(2));
    QCOMPARE(p.cols(), Eigen::Index(3));
    const Mixture m = mdnModel.mixtureAt(X);
    QCOMPARE(m.dims, 2);
    QCOMPARE(m.mu.rows(), Eigen::Index(8));
    const Eigen::MatrixXd samples = mdnModel.sampleAt(X, 10, 1);
    QCOMPARE(samples.rows(), Eigen::Index(2));
    QCOMPARE(samples.cols(), Eigen::Index(30));
    QVERIFY(samples.allFinite());
    // The samples are angles the arm can take: within the data's ranges, give or take.
    QVERIFY(samples.row(0).minCoeff() > 0.0 && samples.row(0).maxCoeff() < 1.6);
    // A 1-D query on a 2-input model is refused, as is data of another shape.
    QVERIFY_THROWS_EXCEPTION(std::logic_error, mdnModel.predict(std::vector<double>{0.5}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mdnModel.loss(inverseData(10, 1)));
}

// The brush's points scatter with half its radii as standard deviations, on each axis apart.
void TestModel::theBrushSpraysAroundItsCentre()
{
    mdn::Dataset d;
    mdn::Rng rng(3);
    const mdn::Brush brush{2.0, -1.0, 0.5, 4.0};
    mdn::sprayPoints(d, brush, 20000, rng);
    QCOMPARE(d.size(), std::size_t(20000));
    double sx = 0, sy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        sx += d.x[i];
        sy += d.y[i];
        sxx += d.x[i] * d.x[i];
        syy += d.y[i] * d.y[i];
    }
    const double n = double(d.size());
    MDN_COMPARE_NEAR(sx / n, 2.0, 0.01, 0.0);
    MDN_COMPARE_NEAR(sy / n, -1.0, 0.05, 0.0);
    MDN_COMPARE_NEAR(std::sqrt(sxx / n - (sx / n) * (sx / n)), 0.25, 0.01, 0.0);
    MDN_COMPARE_NEAR(std::sqrt(syy / n - (sy / n) * (sy / n)), 2.0, 0.05, 0.0);
    // Data of two inputs are not on the chart's plane, and a brush without a radius draws nothing.
    mdn::Dataset arm;
    arm.inputDims = arm.targetDims = 2;
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mdn::sprayPoints(arm, brush, 1, rng));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mdn::sprayPoints(d, mdn::Brush{0, 0, 0, 1}, 1, rng));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mdn::erasePoints(d, mdn::Brush{std::nan(""), 0, 1, 1}));
}

// The eraser's ellipse: on its edge a point goes, just outside it stays; the rest keep their order.
void TestModel::theEraserTakesExactlyThePointsInsideIt()
{
    mdn::Dataset d;
    const double xs[] = {0.0, 1.0, 1.01, 0.0, 0.0, 5.0, -0.5};
    const double ys[] = {0.0, 0.0, 0.0, 2.0, 2.02, 5.0, 1.0};
    for (int i = 0; i < 7; ++i)
        d.addPoint(&xs[i], &ys[i]);
    QCOMPARE(mdn::erasePoints(d, mdn::Brush{0.0, 0.0, 1.0, 2.0}), std::size_t(4));
    QCOMPARE(d.x, (std::vector<double>{1.01, 0.0, 5.0}));
    QCOMPARE(d.y, (std::vector<double>{0.0, 2.02, 5.0}));
    QCOMPARE(mdn::erasePoints(d, mdn::Brush{-3.0, -3.0, 1.0, 1.0}), std::size_t(0));
    QCOMPARE(d.size(), std::size_t(3));
}

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
