// Every analytic gradient of the two losses against central finite differences, in double.

#include "fuzzy.h"
#include "mdn.h"
#include "mlp.h"
#include "rng.h"

#include <QtTest/QTest>

using namespace mdn;
using MatrixD = Matrix<double>;

namespace {

struct Problem {
    Mlp<double> net;
    MatrixD X, T;
    int K = 0; // 0: MSE
    double floor = 1e-3;
};

Problem makeProblem(int K, std::vector<int> hidden, int n, std::uint64_t seed, int dIn = 1,
                    int dOut = 1)
{
    Rng rng(seed);
    Problem p;
    p.K = K;
    p.net = Mlp<double>(dIn, hidden, K > 0 ? mdnOutputs(K, dOut) : dOut);
    p.net.initialise(rng, 1.5, 1.0);
    p.X.resize(dIn, n);
    p.T.resize(n, dOut);
    for (int i = 0; i < n; ++i) {
        for (int c = 0; c < dIn; ++c)
            p.X(c, i) = rng.uniform(-2, 2);
        for (int c = 0; c < dOut; ++c)
            p.T(i, c) = rng.uniform(-2, 2);
    }
    return p;
}

double lossOf(Problem &p, MatrixD *dOut)
{
    Mlp<double>::Workspace ws;
    const MatrixD &out = p.net.forward(p.X, ws);
    if (p.K == 0)
        return mseLoss<double>(out, p.T, dOut);
    MdnWorkspace<double> mws;
    return mdnLoss<double>(out, p.T, p.K, p.floor, dOut, mws);
}

} // namespace

class TestGradient : public QObject {
    Q_OBJECT
private slots:
    void gradientMatchesFiniteDifferences_data();
    void gradientMatchesFiniteDifferences();
    void gradientOfOutputsMatchesBishop();
    void nllOfATwoDimensionalMixtureByHand();
};

void TestGradient::gradientMatchesFiniteDifferences_data()
{
    QTest::addColumn<int>("K");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("dIn");
    QTest::addColumn<int>("targets");
    QTest::newRow("mse 1x8") << 0 << 1 << 8 << 1 << 1;
    QTest::newRow("mse 2x6") << 0 << 2 << 6 << 1 << 1;
    QTest::newRow("mdn K=1") << 1 << 1 << 5 << 1 << 1;
    QTest::newRow("mdn K=3") << 3 << 1 << 7 << 1 << 1;
    QTest::newRow("mdn K=5 2 layers") << 5 << 2 << 6 << 1 << 1;
    QTest::newRow("mdn K=2 no hidden layer") << 2 << 0 << 1 << 1 << 1;
    // Every pairing of one or two inputs with one to three targets, for both losses.
    for (int dIn : {1, 2})
        for (int dOut : {1, 2, 3}) {
            QTest::addRow("mse in %d out %d", dIn, dOut) << 0 << 1 << 6 << dIn << dOut;
            QTest::addRow("mdn K=3 in %d out %d", dIn, dOut) << 3 << 1 << 6 << dIn << dOut;
        }
}

void TestGradient::gradientMatchesFiniteDifferences()
{
    QFETCH(int, K);
    QFETCH(int, layers);
    QFETCH(int, hidden);
    QFETCH(int, dIn);
    QFETCH(int, targets);
    Problem p = makeProblem(K, std::vector<int>(layers, hidden), 37, 7, dIn, targets);

    MatrixD dOut;
    Mlp<double>::Workspace ws;
    const MatrixD &out = p.net.forward(p.X, ws);
    MdnWorkspace<double> mws;
    if (K == 0)
        mseLoss<double>(out, p.T, &dOut);
    else
        mdnLoss<double>(out, p.T, K, p.floor, &dOut, mws);
    Mlp<double>::Vector grad;
    p.net.backward(p.X, dOut, ws, grad);

    const double h = 1e-6;
    auto &params = p.net.parameters();
    QCOMPARE(grad.size(), params.size());
    for (Eigen::Index i = 0; i < params.size(); ++i) {
        const double saved = params[i];
        params[i] = saved + h;
        const double up = lossOf(p, nullptr);
        params[i] = saved - h;
        const double down = lossOf(p, nullptr);
        params[i] = saved;
        const double numeric = (up - down) / (2 * h);
        MDN_COMPARE_NEAR(grad[i], numeric, 1e-7, 1e-5);
    }
}

// The loss gradient with respect to the network outputs equals Bishop's closed forms, evaluated
// here independently from pi, mu, sigma and the posteriors.
void TestGradient::gradientOfOutputsMatchesBishop()
{
    const int K = 3;
    MatrixD Z(1, 3 * K);
    Z << 0.3, -1.2, 0.8, -0.5, 0.4, 1.1, -0.7, 0.2, -0.1;
    MatrixD T(1, 1);
    T << 0.25;
    const double floor = 1e-3;
    MatrixD dZ;
    MdnWorkspace<double> ws;
    mdnLoss<double>(Z, T, K, floor, &dZ, ws);

    double a[K], pi[K], mu[K], sigma[K], joint[K], sum = 0, total = 0;
    for (int k = 0; k < K; ++k)
        sum += std::exp(Z(0, k));
    for (int k = 0; k < K; ++k) {
        pi[k] = std::exp(Z(0, k)) / sum;
        mu[k] = Z(0, K + k);
        sigma[k] = std::exp(Z(0, 2 * K + k)) + floor;
        const double r = (T(0, 0) - mu[k]) / sigma[k];
        joint[k] = pi[k] * std::exp(-0.5 * r * r) / (sigma[k] * std::sqrt(2 * M_PI));
        total += joint[k];
        a[k] = 0;
    }
    for (int k = 0; k < K; ++k) {
        const double gamma = joint[k] / total;
        const double r = (T(0, 0) - mu[k]) / sigma[k];
        MDN_COMPARE_NEAR(dZ(0, k), pi[k] - gamma + a[k], 1e-12, 1e-9);
        MDN_COMPARE_NEAR(dZ(0, K + k), gamma * (mu[k] - T(0, 0)) / (sigma[k] * sigma[k]), 1e-12,
                         1e-9);
        MDN_COMPARE_NEAR(dZ(0, 2 * K + k),
                         gamma * (1 - r * r) * (sigma[k] - floor) / sigma[k], 1e-12, 1e-9);
    }
}

// A two-component mixture over two target dimensions, its NLL written out term by term: each
// component is the product of two independent gaussians.
void TestGradient::nllOfATwoDimensionalMixtureByHand()
{
    const int K = 2, D = 2;
    // logits; means (k0d0, k0d1, k1d0, k1d1); width parameters in the same order.
    MatrixD Z(2, mdnOutputs(K, D));
    Z << 0.2, -0.4, 1.0, -2.0, -1.5, 0.5, -0.3, 0.1, 0.4, -0.2,
         1.1, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0;
    MatrixD T(2, D);
    T << 0.7, -1.1,
         -0.2, 0.3;
    const double floor = 1e-3;
    MdnWorkspace<double> ws;
    const double loss = mdnLoss<double>(Z, T, K, floor, nullptr, ws);

    double expected = 0.0;
    for (int n = 0; n < 2; ++n) {
        const double e0 = std::exp(Z(n, 0)), e1 = std::exp(Z(n, 1));
        const double pi[2] = {e0 / (e0 + e1), e1 / (e0 + e1)};
        double p = 0.0;
        for (int k = 0; k < K; ++k) {
            double density = pi[k];
            for (int d = 0; d < D; ++d) {
                const double mu = Z(n, K + k * D + d);
                const double sigma = std::exp(Z(n, K + K * D + k * D + d)) + floor;
                const double r = (T(n, d) - mu) / sigma;
                density *= std::exp(-0.5 * r * r) / (sigma * std::sqrt(2 * M_PI));
            }
            p += density;
        }
        expected -= std::log(p) / 2.0;
    }
    MDN_COMPARE_NEAR(loss, expected, 1e-13, 1e-12);
}

QTEST_APPLESS_MAIN(TestGradient)
#include "tst_gradient.moc"
