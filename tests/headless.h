#pragma once
// Running the real mdnviz binary (MDNVIZ_BINARY) from a test, the way a user or a script does:
// what it printed, how it ended, and whether a sanitizer or a crash spoke up.

#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <functional>

#include <unistd.h>

namespace headless {

struct Run {
    int exitCode = -1;
    bool crashed = false;  // ended by a signal (QProcess::CrashExit)
    bool timedOut = false; // killed by us after the time limit
    QByteArray out, err;
    qint64 ms = 0;
    // The process's own peak resident set (VmHWM), sampled while it ran. (getrusage cannot tell:
    // a forked child starts out counting its parent's pages.)
    qint64 peakRssKib = 0;

    // Ended by itself, with an exit code below 128 (no signal death, no abort).
    bool endedCleanly() const { return !crashed && !timedOut && exitCode >= 0 && exitCode < 128; }
    // AddressSanitizer, UndefinedBehaviorSanitizer, LeakSanitizer and ThreadSanitizer all report
    // on stderr with these words; Qt's own fatal messages too.
    bool sanitizerSpoke() const
    {
        return err.contains("Sanitizer") || err.contains("runtime error:") ||
               err.contains("QFATAL") || err.contains("ASSERT:");
    }
    QString describe() const
    {
        return QStringLiteral("exit %1%2%3 after %4 ms; stderr: %5")
            .arg(exitCode)
            .arg(crashed ? QStringLiteral(" (crashed)") : QString())
            .arg(timedOut ? QStringLiteral(" (timed out)") : QString())
            .arg(ms)
            .arg(QString::fromUtf8(err.left(600)));
    }
};

inline QString binary() { return QStringLiteral(MDNVIZ_BINARY); }

inline QProcessEnvironment environment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    return env;
}

// Runs `program args` (default: mdnviz), kills it after timeoutMs. `started` (if given) runs once
// the process is up, e.g. to send it a signal or to change its input file.
inline Run run(const QStringList &args, int timeoutMs = 120000,
               const QProcessEnvironment &env = environment(), const QString &program = binary(),
               const std::function<void(QProcess &)> &started = {})
{
    Run r;
    QProcess p;
    p.setProcessEnvironment(env);
    QElapsedTimer clock;
    clock.start();
    p.start(program, args);
    if (!p.waitForStarted(30000)) {
        r.err = "could not start " + program.toUtf8() + ": " + p.errorString().toUtf8();
        return r;
    }
    const QString status = QStringLiteral("/proc/%1/status").arg(p.processId());
    const auto sample = [&] {
        QFile f(status);
        if (!f.open(QIODevice::ReadOnly))
            return;
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.startsWith("VmHWM:"))
                r.peakRssKib = std::max(r.peakRssKib, line.mid(6).trimmed().split(' ').value(0).toLongLong());
    };
    if (started)
        started(p);
    for (;;) {
        sample();
        if (p.waitForFinished(5))
            break;
        if (clock.elapsed() > timeoutMs) {
            r.timedOut = true;
            p.kill();
            p.waitForFinished(10000);
            break;
        }
    }
    r.ms = clock.elapsed();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.crashed = !r.timedOut && p.exitStatus() == QProcess::CrashExit;
    r.exitCode = r.timedOut || r.crashed ? -1 : p.exitCode();
    return r;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size() &&
           f.flush();
}

inline QByteArray sha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

// Every entry of a folder, hidden ones included: a leftover temporary file shows up here.
inline QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System |
                                   QDir::NoDotAndDotDot,
                               QDir::Name);
}

// Walks a JSON value; returns the path of the first number that is not finite, or an empty
// string. (QJsonDocument writes NaN and infinities as null, so the text is checked as well.)
inline QString firstNonFinite(const QJsonValue &v, const QString &path = QStringLiteral("$"))
{
    if (v.isDouble())
        return std::isfinite(v.toDouble()) ? QString() : path;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString bad = firstNonFinite(it.value(), path + "." + it.key());
            if (!bad.isEmpty())
                return bad;
        }
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            const QString bad = firstNonFinite(a[i], path + QStringLiteral("[%1]").arg(i));
            if (!bad.isEmpty())
                return bad;
        }
    }
    return QString();
}

// The null members of a JSON value (a non-finite number written by finiteOrNull shows as null).
inline QStringList nullMembers(const QJsonValue &v, const QString &path = QStringLiteral("$"))
{
    QStringList out;
    if (v.isNull())
        out << path;
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            out += nullMembers(it.value(), path + "." + it.key());
    }
    if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i)
            out += nullMembers(a[i], path + QStringLiteral("[%1]").arg(i));
    }
    return out;
}

inline bool isRoot() { return ::geteuid() == 0; }

} // namespace headless
