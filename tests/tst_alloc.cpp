// The training loop allocates nothing once its buffers exist: every heap allocation made by this
// thread while training is counted by a replaced global operator new.

#include "dataset.h"
#include "trainer.h"

#include <QtTest/QTest>

#include <cstdlib>
#include <new>

namespace {
thread_local long t_allocations = 0;
}

void *operator new(std::size_t size)
{
    ++t_allocations;
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }

class TestAlloc : public QObject {
    Q_OBJECT
private slots:
    void trainingLoopDoesNotAllocate_data();
    void trainingLoopDoesNotAllocate();
};

void TestAlloc::trainingLoopDoesNotAllocate_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("points");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("dims"); // inputs and targets
    QTest::newRow("mdn full batch") << int(mdn::ModelKind::Mdn) << 1000 << 0 << 1;
    QTest::newRow("mdn blocked full batch") << int(mdn::ModelKind::Mdn) << 5000 << 0 << 1;
    QTest::newRow("mdn mini-batches with a remainder") << int(mdn::ModelKind::Mdn) << 1000 << 96 << 1;
    QTest::newRow("mse full batch") << int(mdn::ModelKind::Mse) << 1000 << 0 << 1;
    QTest::newRow("mse mini-batches") << int(mdn::ModelKind::Mse) << 1000 << 128 << 1;
    QTest::newRow("mdn 2 in 2 out blocked") << int(mdn::ModelKind::Mdn) << 5000 << 0 << 2;
    QTest::newRow("mse 2 in 2 out mini-batches") << int(mdn::ModelKind::Mse) << 1000 << 96 << 2;
}

void TestAlloc::trainingLoopDoesNotAllocate()
{
    QFETCH(int, kind);
    QFETCH(int, points);
    QFETCH(int, batch);
    QFETCH(int, dims);
    mdn::GeneratorSpec g;
    g.points = std::size_t(points);
    mdn::Dataset data = mdn::generate(g);
    if (dims == 2) {
        // Two inputs and two targets: (x, y) and (y, x) side by side.
        mdn::Dataset wide;
        wide.inputDims = wide.targetDims = 2;
        for (std::size_t i = 0; i < data.size(); ++i) {
            const double in[2] = {data.x[i], data.y[i]}, out[2] = {data.y[i], -data.x[i]};
            wide.addPoint(in, out);
        }
        data = wide;
    }
    mdn::TrainConfig c = mdn::defaultConfig(mdn::ModelKind(kind));
    c.batch = std::size_t(batch);
    mdn::Trainer t(data, c);
    {
        // The counter sees this thread's allocations.
        const long probe = t_allocations;
        delete new int(1);
        QCOMPARE(t_allocations - probe, 1L);
    }
    t.train(2); // sizes every buffer
    const long before = t_allocations;
    t.train(30);
    QCOMPARE(t_allocations - before, 0L);
    QCOMPARE(t.epoch(), 32L);
}

QTEST_APPLESS_MAIN(TestAlloc)
#include "tst_alloc.moc"
