#pragma once
// The one tolerance helper of the test suites: QCOMPARE on doubles is relative and fails near 0.

#include <QtTest/QTest>

#include <cmath>

// Passes when |actual - expected| <= absTol + relTol * |expected|; prints both values otherwise.
#define MDN_COMPARE_NEAR(actual, expected, absTol, relTol)                                         \
    do {                                                                                           \
        const double a_ = double(actual), e_ = double(expected);                                   \
        const double tol_ = double(absTol) + double(relTol) * std::abs(e_);                        \
        if (!(std::abs(a_ - e_) <= tol_))                                                          \
            QFAIL(qPrintable(QString("%1 = %2, expected %3 (tolerance %4)")                        \
                                 .arg(#actual)                                                     \
                                 .arg(a_, 0, 'g', 12)                                              \
                                 .arg(e_, 0, 'g', 12)                                              \
                                 .arg(tol_, 0, 'g', 3)));                                          \
    } while (false)
