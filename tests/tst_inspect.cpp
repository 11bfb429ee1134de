// What the views show of a mixture (mean, mode, density grid, slice, health), the sampling
// temperatures, the validation split and the Bayes-optimal NLL: checked against hand-built
// mixtures and closed forms.

#include "dataset.h"
#include "fuzzy.h"
#include "inspect.h"
#include "snapshot.h"
#include "split.h"
#include "trainer.h"

#include <QtTest/QTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

using namespace mdn;

namespace {

double normalPdf(double x, double mu, double sd)
{
    return std::exp(-0.5 * (x - mu) * (x - mu) / (sd * sd)) / (sd * std::sqrt(2 * M_PI));
}

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// A mixture given column by column: {pi, mu, sigma} per component.
struct Component {
    double pi, mu, sigma;
};

Mixture handMixture(const std::vector<std::vector<Component>> &columns)
{
    const int K = int(columns.front().size());
    const Eigen::Index n = Eigen::Index(columns.size());
    Mixture m;
    m.pi.resize(K, n);
    m.mu.resize(K, n);
    m.sigma.resize(K, n);
    for (Eigen::Index j = 0; j < n; ++j)
        for (int k = 0; k < K; ++k) {
            const Component &c = columns[std::size_t(j)][std::size_t(k)];
            m.pi(k, j) = c.pi;
            m.mu(k, j) = c.mu;
            m.sigma(k, j) = c.sigma;
        }
    return m;
}

// Five columns: wide, narrow (far below one cell), off-centre, one dominant, equal peaks.
Mixture testMixture()
{
    return handMixture({
        {{0.3, -1.0, 0.1}, {0.7, 4.0, 2.0}, {0.0, 0.0, 1.0}},
        {{0.2, 0.2, 1e-4}, {0.5, -3.0, 0.5}, {0.3, 6.0, 3.0}},
        {{0.1, 10.0, 1.0}, {0.1, -10.0, 1.0}, {0.8, 0.5, 0.25}},
        {{0.98, 2.0, 1.0}, {0.01, -2.0, 1.0}, {0.01, 5.0, 1.0}},
        {{0.25, -1.0, 0.5}, {0.5, 3.0, 1.0}, {0.25, 7.0, 4.0}},
    });
}

double columnIntegral(const DensityGrid &g, int col)
{
    double sum = 0.0;
    for (int i = 0; i < g.rows; ++i)
        sum += double(g.at(i, col));
    return sum * g.rowHeight();
}

Dataset inverseData(std::size_t points, std::uint64_t seed)
{
    GeneratorSpec g;
    g.generator = Generator::InverseSinusoid;
    g.points = points;
    g.seed = seed;
    return generate(g);
}

// An MDN trained briefly on the inverse sinusoid: enough to have several branches.
const Trainer &trainedMdn()
{
    static const Dataset data = inverseData(500, 3);
    static const Trainer t = [] {
        Trainer tr(data, defaultConfig(ModelKind::Mdn));
        tr.train(400);
        return tr;
    }();
    return t;
}

} // namespace

class TestInspect : public QObject {
    Q_OBJECT
private slots:
    void densityGridIntegratesToOne();
    void densityGridHoldsTheTruncatedMass();
    void densityGridOfTrainedMdnIntegratesToOne();
    void snapshotDensityCoversTheData();
    void meanAndModeOfHandBuiltMixture();
    void sliceMatchesTheMixture();
    void localHistogramIsADensity();
    void healthStatistics();
    void temperatureOneLeavesSamplesUnchanged();
    void coldSamplesSitOnTheModes();
    void bayesNllOfSinusoidIsTheGaussianNllOfResiduals();
    void tabulatedBayesNllMatchesExact_data();
    void tabulatedBayesNllMatchesExact();
    void splitIsDisjointCompleteSizedAndDeterministic();
    void splitEdgeCases();
};

void TestInspect::densityGridIntegratesToOne()
{
    const Mixture m = testMixture();
    // y from -60 to 60 holds every component to within 1e-20; 240 rows are 0.5 wide, far wider
    // than the narrow component of column 1, which must still count in full.
    const DensityGrid g = densityGrid(m, 0.0, 4.0, -60.0, 60.0, 240);
    QCOMPARE(g.rows, 240);
    QCOMPARE(g.cols, 5);
    for (int j = 0; j < g.cols; ++j)
        MDN_COMPARE_NEAR(columnIntegral(g, j), 1.0, 1e-5, 0.0);
    // The narrow component's mass sits in one cell: the cell holding y = 0.2, i.e. [0, 0.5).
    QVERIFY(g.at(120, 1) * g.rowHeight() >= 0.2 - 1e-6);
    QVERIFY(g.at(119, 1) * g.rowHeight() < 0.01);
}

void TestInspect::densityGridHoldsTheTruncatedMass()
{
    const Mixture m = testMixture();
    const double lo = -2.0, hi = 5.0;
    const DensityGrid g = densityGrid(m, 0.0, 1.0, lo, hi, 200);
    for (int j = 0; j < g.cols; ++j) {
        double expected = 0.0;
        for (int k = 0; k < m.components(); ++k)
            expected += m.pi(k, j) * (normalCdf((hi - m.mu(k, j)) / m.sigma(k, j)) -
                                       normalCdf((lo - m.mu(k, j)) / m.sigma(k, j)));
        // Exact for the narrow components; the midpoint rule in the two edge cells of the wide
        // ones is off by O(dy^2).
        MDN_COMPARE_NEAR(columnIntegral(g, j), expected, 1e-4, 0.0);
    }
    // A cell far wider than nothing else: the mean density of a wide component is its pdf there.
    const Mixture wide = handMixture({{{1.0, 0.0, 3.0}}});
    const DensityGrid w = densityGrid(wide, 0.0, 0.0, -1.0, 1.0, 200);
    MDN_COMPARE_NEAR(w.at(100, 0), normalPdf(0.005, 0.0, 3.0), 1e-6, 0.0);
}

void TestInspect::densityGridOfTrainedMdnIntegratesToOne()
{
    const Trainer &t = trainedMdn();
    const std::vector<double> xs = linspace(-14.0, 14.0, 200);
    const DensityGrid g = densityGrid(t.mixture(xs), -14.0, 14.0, -80.0, 80.0, 400);
    for (int j = 0; j < g.cols; ++j)
        MDN_COMPARE_NEAR(columnIntegral(g, j), 1.0, 0.01, 0.0);
}

void TestInspect::snapshotDensityCoversTheData()
{
    const Dataset data = inverseData(500, 3);
    Snapshot s;
    fillSnapshot(s, nullptr, &trainedMdn(), data, SnapshotRequest());
    const DensityGrid &g = s.density;
    QVERIFY(g.rows >= 200 && g.cols >= 200);
    QCOMPARE(g.values.size(), std::size_t(g.rows) * std::size_t(g.cols));
    const auto [xLo, xHi] = std::minmax_element(data.x.begin(), data.x.end());
    const auto [yLo, yHi] = std::minmax_element(data.y.begin(), data.y.end());
    // A margin of a quarter of the span on each side: room for a chart's padded axes, with at
    // least 200 cells over the data's own range.
    QVERIFY(g.xLo <= *xLo - 0.2 * (*xHi - *xLo) && g.xHi >= *xHi + 0.2 * (*xHi - *xLo));
    QVERIFY(g.yLo <= *yLo - 0.2 * (*yHi - *yLo) && g.yHi >= *yHi + 0.2 * (*yHi - *yLo));
    QVERIFY((*yHi - *yLo) / g.rowHeight() >= 200);
    for (float v : g.values)
        QVERIFY(std::isfinite(v) && v >= 0.0f);
    // Inside the data's range nearly all the mass is on the grid.
    const int middle = g.cols / 2;
    QVERIFY(columnIntegral(g, middle) > 0.97);
    QCOMPARE(s.meanCurve.size(), s.gridX.size());
    QCOMPARE(s.modeCurve.size(), s.gridX.size());
    QVERIFY(s.effectiveComponents >= 1.0 && s.effectiveComponents <= 10.0);
    QVERIFY(s.minSigma > 0.0 && std::isfinite(s.gradientNorm));
}

void TestInspect::meanAndModeOfHandBuiltMixture()
{
    const Mixture m = testMixture();
    const std::vector<double> mean = mixtureMean(m), mode = mixtureMode(m);
    const std::vector<int> best = dominantComponent(m);
    QCOMPARE(mean.size(), std::size_t(5));
    MDN_COMPARE_NEAR(mean[0], 0.3 * -1.0 + 0.7 * 4.0, 1e-12, 0);
    MDN_COMPARE_NEAR(mean[1], 0.2 * 0.2 + 0.5 * -3.0 + 0.3 * 6.0, 1e-12, 0);
    MDN_COMPARE_NEAR(mean[2], 0.1 * 10.0 + 0.1 * -10.0 + 0.8 * 0.5, 1e-12, 0);
    // The mode follows pi/sigma, not pi: column 0's small but narrow component wins (3 > 0.35).
    QCOMPARE(best[0], 0);
    QCOMPARE(mode[0], -1.0);
    QCOMPARE(mode[1], 0.2);  // 0.2 / 1e-4 dominates
    QCOMPARE(mode[2], 0.5);  // 0.8 / 0.25 = 3.2 against 0.1
    QCOMPARE(mode[3], 2.0);
    QCOMPARE(best[4], 0);    // 0.25/0.5 = 0.5/1: a tie goes to the lower index
    // The mode is where the mixture density is (nearly) highest: check against a fine scan.
    for (int j : {0, 2, 3}) {
        std::vector<double> ys = linspace(-15.0, 15.0, 30001);
        const MixtureSlice s = mixtureSlice(m, j, ys);
        const auto top = std::max_element(s.total.begin(), s.total.end()) - s.total.begin();
        MDN_COMPARE_NEAR(ys[std::size_t(top)], mode[std::size_t(j)], 0.05, 0);
    }
}

void TestInspect::sliceMatchesTheMixture()
{
    const Mixture m = testMixture();
    const std::vector<double> ys = linspace(-40.0, 40.0, 80001);
    const MixtureSlice s = mixtureSlice(m, 4, ys);
    QCOMPARE(s.components.size(), std::size_t(3));
    double integral = 0.0;
    for (std::size_t i = 0; i < ys.size(); ++i) {
        double sum = 0.0;
        for (const auto &c : s.components)
            sum += c[i];
        MDN_COMPARE_NEAR(s.total[i], sum, 1e-15, 1e-12);
        integral += s.total[i] * 0.001;
    }
    MDN_COMPARE_NEAR(integral, 1.0, 1e-6, 0);
    MDN_COMPARE_NEAR(s.components[1][43000], 0.5 * normalPdf(3.0, 3.0, 1.0), 1e-12, 0);
    QVERIFY(mixtureSlice(m, 5, ys).components.empty()); // no such column
}

void TestInspect::localHistogramIsADensity()
{
    Dataset d;
    // Inside the window (|x - 1| <= 0.1): y = 0.25 twice, 0.75 once, 5 (outside the bins) once.
    for (auto [x, y] : std::vector<std::pair<double, double>>{
             {1.0, 0.25}, {0.95, 0.25}, {1.08, 0.75}, {0.92, 5.0}, {2.0, 0.25}, {0.0, 0.75}}) {
        d.x.push_back(x);
        d.y.push_back(y);
    }
    std::size_t count = 0;
    const std::vector<double> h = localHistogram(d, 1.0, 0.1, 0.0, 1.0, 2, &count);
    QCOMPARE(count, std::size_t(4));
    QCOMPARE(h.size(), std::size_t(2));
    MDN_COMPARE_NEAR(h[0], 2.0 / (4 * 0.5), 1e-12, 0);
    MDN_COMPARE_NEAR(h[1], 1.0 / (4 * 0.5), 1e-12, 0);
    QVERIFY(localHistogram(d, 10.0, 0.1, 0.0, 1.0, 2, &count) == std::vector<double>(2, 0.0));
    QCOMPARE(count, std::size_t(0));
}

void TestInspect::healthStatistics()
{
    // Component 2 is narrowest but never carries weight; component 1 is 0.05 wide where pi = 0.5.
    const Mixture m = handMixture({
        {{0.5, 0.0, 1.0}, {0.5, 1.0, 0.05}, {1e-6, 0.0, 1e-5}},
        {{1.0, 0.0, 2.0}, {0.0, 1.0, 0.01}, {0.0, 0.0, 1e-5}},
    });
    const MixtureHealth h = mixtureHealth(m);
    MDN_COMPARE_NEAR(h.minSigma, 0.05, 1e-12, 0);
    // Mean pi = (0.75, 0.25, ~0): exp(entropy) = exp(-(0.75 ln 0.75 + 0.25 ln 0.25)) ~ 1.755.
    MDN_COMPARE_NEAR(h.effectiveComponents, std::exp(-(0.75 * std::log(0.75) + 0.25 * std::log(0.25))),
                     1e-4, 0);
    const Mixture even = handMixture({{{0.25, 0, 1}, {0.25, 1, 1}, {0.25, 2, 1}, {0.25, 3, 1}}});
    MDN_COMPARE_NEAR(mixtureHealth(even).effectiveComponents, 4.0, 1e-12, 0);
    const Mixture one = handMixture({{{1.0, 0, 1}, {0.0, 1, 1}}});
    MDN_COMPARE_NEAR(mixtureHealth(one).effectiveComponents, 1.0, 1e-12, 0);
}

void TestInspect::temperatureOneLeavesSamplesUnchanged()
{
    const Trainer &t = trainedMdn();
    const Dataset data = inverseData(500, 3);
    SnapshotRequest plain;
    plain.densityRows = 0;
    plain.samplesPerX = 50;
    SnapshotRequest one = plain;
    one.piTemperature = 1.0;
    one.sigmaTemperature = 1.0;
    Snapshot a, b;
    fillSnapshot(a, nullptr, &t, data, plain);
    fillSnapshot(b, nullptr, &t, data, one);
    QVERIFY(a.sampleY == b.sampleY);
    // The mixture at temperature 1 is the trained one.
    const Mixture m1 = t.mixture(a.gridX, 1.0, 1.0), m = t.mixture(a.gridX);
    QVERIFY((m1.pi == m.pi).all() && (m1.sigma == m.sigma).all());
    // And the samples follow it: over all x, the samples' mean and variance match the mixture's.
    double sampleMean = 0.0, mixtureMean2 = 0.0, sampleSq = 0.0, mixtureSq = 0.0;
    for (std::size_t i = 0; i < a.sampleY.size(); ++i) {
        sampleMean += a.sampleY[i];
        sampleSq += a.sampleY[i] * a.sampleY[i];
    }
    for (Eigen::Index j = 0; j < m.points(); ++j) {
        mixtureMean2 += (m.pi.col(j) * m.mu.col(j)).sum();
        mixtureSq += (m.pi.col(j) * (m.mu.col(j).square() + m.sigma.col(j).square())).sum();
    }
    const double n = double(a.sampleY.size()), cols = double(m.points());
    MDN_COMPARE_NEAR(sampleMean / n, mixtureMean2 / cols, 0.15, 0);
    MDN_COMPARE_NEAR(sampleSq / n, mixtureSq / cols, 0.0, 0.03);
    // A hotter mixture spreads the samples as the tempered mixture says: sigma * sqrt(4).
    SnapshotRequest hot = plain;
    hot.sigmaTemperature = 4.0;
    Snapshot c;
    fillSnapshot(c, nullptr, &t, data, hot);
    double hotSq = 0.0, hotMixtureSq = 0.0;
    for (double y : c.sampleY)
        hotSq += y * y;
    const Mixture mh = t.mixture(a.gridX, 1.0, 4.0);
    for (Eigen::Index j = 0; j < mh.points(); ++j)
        hotMixtureSq += (mh.pi.col(j) * (mh.mu.col(j).square() + mh.sigma.col(j).square())).sum();
    MDN_COMPARE_NEAR(hotSq / n, hotMixtureSq / cols, 0.0, 0.03);
    QVERIFY(hotMixtureSq > mixtureSq);
}

void TestInspect::coldSamplesSitOnTheModes()
{
    const Trainer &t = trainedMdn();
    const Dataset data = inverseData(500, 3);
    for (double tau : {0.0, 1e-8}) {
        SnapshotRequest cold;
        cold.densityRows = 0;
        cold.samplesPerX = 20;
        cold.piTemperature = tau;
        cold.sigmaTemperature = tau;
        Snapshot s;
        fillSnapshot(s, nullptr, &t, data, cold);
        QCOMPARE(s.sampleY.size(), s.gridX.size() * 20);
        const Mixture m = t.mixture(s.gridX);
        double worst = 0.0;
        for (std::size_t i = 0; i < s.sampleY.size(); ++i) {
            const Eigen::Index j = Eigen::Index(i / 20);
            // Every sample within a tiny distance of some component mean at its x ...
            double nearest = std::numeric_limits<double>::infinity();
            for (int k = 0; k < m.components(); ++k)
                nearest = std::min(nearest, std::abs(s.sampleY[i] - m.mu(k, j)));
            worst = std::max(worst, nearest);
            // ... and at temperature 0 exactly on the mean of the most probable component.
            if (tau == 0.0) {
                Eigen::Index k = 0;
                m.pi.col(j).maxCoeff(&k);
                QCOMPARE(s.sampleY[i], m.mu(int(k), j));
            }
        }
        QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst)));
    }
}

void TestInspect::bayesNllOfSinusoidIsTheGaussianNllOfResiduals()
{
    GeneratorSpec spec;
    spec.generator = Generator::Sinusoid;
    spec.points = 3000; // above the size where the inverse problems tabulate
    spec.noise = 0.7;
    const Dataset d = generate(spec);
    double byHand = 0.0;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double r = d.y[i] - (7.0 * std::sin(0.75 * d.x[i]) + 0.5 * d.x[i]);
        byHand += 0.5 * r * r / (0.7 * 0.7) + std::log(0.7) + 0.5 * std::log(2 * M_PI);
    }
    MDN_COMPARE_NEAR(bayesNll(Generator::Sinusoid, 0.7, d), byHand / double(d.size()), 1e-12, 1e-12);
}

void TestInspect::tabulatedBayesNllMatchesExact_data()
{
    QTest::addColumn<int>("generator");
    QTest::addColumn<double>("noise");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("inverse-sinusoid") << int(Generator::InverseSinusoid) << 1.0 << 2e-4;
    QTest::newRow("inverse-sinusoid, noise 0.5") << int(Generator::InverseSinusoid) << 0.5 << 2e-4;
    QTest::newRow("bishop") << int(Generator::Bishop) << 0.1 << 2e-3;
}

void TestInspect::tabulatedBayesNllMatchesExact()
{
    QFETCH(int, generator);
    QFETCH(double, noise);
    QFETCH(double, tolerance);
    GeneratorSpec spec;
    spec.generator = Generator(generator);
    spec.points = 4500;
    spec.noise = noise;
    spec.seed = 11;
    const Dataset d = generate(spec);
    // Three parts of 1,500 points are each integrated exactly, point by point.
    double exact = 0.0;
    for (std::size_t part = 0; part < 3; ++part) {
        std::vector<std::size_t> idx(1500);
        std::iota(idx.begin(), idx.end(), part * 1500);
        exact += bayesNll(spec.generator, noise, subset(d, idx)) / 3.0;
    }
    const double tabulated = bayesNll(spec.generator, noise, d);
    qInfo("exact %.6f, tabulated %.6f", exact, tabulated);
    MDN_COMPARE_NEAR(tabulated, exact, tolerance, 0);
}

void TestInspect::splitIsDisjointCompleteSizedAndDeterministic()
{
    for (double percent : {20.0, 0.0, 37.5, 50.0}) {
        const SplitIndices s = splitIndices(1000, percent, 7);
        QCOMPARE(s.validation.size(), std::size_t(std::llround(10.0 * percent)));
        QCOMPARE(s.train.size() + s.validation.size(), std::size_t(1000));
        QVERIFY(std::is_sorted(s.train.begin(), s.train.end()));
        QVERIFY(std::is_sorted(s.validation.begin(), s.validation.end()));
        std::set<std::size_t> all(s.train.begin(), s.train.end());
        for (std::size_t i : s.validation)
            QVERIFY(all.insert(i).second); // disjoint
        QCOMPARE(all.size(), std::size_t(1000)); // covers 0..999
        QCOMPARE(*all.rbegin(), std::size_t(999));
        const SplitIndices again = splitIndices(1000, percent, 7);
        QVERIFY(again.train == s.train && again.validation == s.validation);
    }
    // Another seed draws other points; the held-out points are spread over the whole file.
    const SplitIndices a = splitIndices(1000, 20.0, 7), b = splitIndices(1000, 20.0, 8);
    QVERIFY(a.validation != b.validation);
    QVERIFY(a.validation.front() < 100 && a.validation.back() > 900);

    const Dataset d = inverseData(50, 1);
    const Dataset v = subset(d, splitIndices(50, 20.0, 1).validation);
    QCOMPARE(v.size(), std::size_t(10));
    QCOMPARE(v.name, d.name);
    const std::size_t first = splitIndices(50, 20.0, 1).validation.front();
    QCOMPARE(v.x.front(), d.x[first]);
    QCOMPARE(v.y.front(), d.y[first]);
}

void TestInspect::splitEdgeCases()
{
    QVERIFY(splitIndices(0, 20.0, 1).train.empty());
    const SplitIndices one = splitIndices(1, 90.0, 1);
    QCOMPARE(one.train.size(), std::size_t(1)); // the training part is never empty
    QVERIFY(one.validation.empty());
    QCOMPARE(splitIndices(10, 100.0, 1).validation.size(), std::size_t(9));
    QCOMPARE(splitIndices(10, -5.0, 1).validation.size(), std::size_t(0));
    QCOMPARE(splitIndices(10, std::nan(""), 1).validation.size(), std::size_t(0));
}

QTEST_APPLESS_MAIN(TestInspect)
#include "tst_inspect.moc"
