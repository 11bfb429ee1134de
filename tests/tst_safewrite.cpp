// Every writer of the headless trainer (dataset CSV, samples CSV, PNG chart, JSON report) replaces
// an existing file atomically and reports every failure. Faults are real where the system allows
// (a read-only folder for an unprivileged user, a full 64 KiB tmpfs) and injected otherwise (an
// LD_PRELOAD library failing the Nth write, fsync, close, rename or open). After each failure the
// old file must be byte-identical (sha256), the process must exit 1 with a message naming the
// file, and the folder must hold no temporary file. The writer's structured error (WriteError)
// names the step that failed, checked in-process and, under the injected faults, in a child run
// of this test program.

#include "headless.h"
#include "safewrite.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest/QTest>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include <utime.h>

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Writer {
    const char *name;
    const char *option;
    const char *file;
    QStringList args; // what makes this writer run and little else
};

QList<Writer> writers()
{
    return {
        // Enough rows that the CSV writers need several write() calls (1 MiB each).
        {"dataset CSV", "--save-data", "data.csv", {"--epochs", "0", "--model", "mse", "--points", "90000"}},
        {"samples CSV", "--export-samples", "samples.csv", {"--epochs", "1", "--model", "mdn", "--samples-per-x", "300"}},
        {"PNG chart", "--export-png", "chart.png", {"--epochs", "1", "--size", "320x200"}},
        {"JSON report", "--report", "report.json", {"--epochs", "1", "--model", "mse"}},
    };
}

QStringList writerArgs(const Writer &w, const QString &target)
{
    // A writer's own --points comes later: the last value of an option is the one used.
    return QStringList{"--headless", "--points", "400", w.option, target} + w.args;
}

// What a successful write must have produced: a complete file of the right kind.
bool looksComplete(const Writer &w, const QString &path)
{
    const QByteArray bytes = headless::readFile(path);
    if (QByteArray(w.file).endsWith(".png"))
        return QImage(path).size() == QSize(320, 200);
    if (QByteArray(w.file).endsWith(".json"))
        return QJsonDocument::fromJson(bytes).object().contains("faults");
    return bytes.startsWith("x,y\n") && bytes.endsWith("\n") && bytes.count('\n') > 400;
}

QString oldContent(const Writer &w) { return QStringLiteral("old %1, must survive\n").arg(w.name); }

QString osReason(int error) { return QString::fromStdString(std::generic_category().message(error)); }

// The child of structuredErrorNamesTheStep: one write, its WriteError printed field by field.
int writeChild(const char *path)
{
    mdn::WriteError e;
    if (mdn::writeFileAtomically(path, "new content\n", e)) {
        std::printf("ok\n");
        return 0;
    }
    std::printf("step=%s\nfile=%s\nreason=%s\ntemporary=%s\nmessage=%s\n", e.step.c_str(),
                e.file.c_str(), e.reason.c_str(), e.temporary.c_str(), e.toString().c_str());
    return 1;
}

// "key=value" lines, as writeChild prints them.
QMap<QString, QString> fields(const QByteArray &out)
{
    QMap<QString, QString> map;
    for (const QByteArray &line : out.split('\n')) {
        const int eq = line.indexOf('=');
        if (eq > 0)
            map.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    return map;
}

bool haveSetpriv() { return QFileInfo::exists(QStringLiteral("/usr/bin/setpriv")); }

struct Tally {
    int runs = 0, faultsHit = 0, refusedIntact = 0;
};

} // namespace

class TestSafeWrite : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void injectedFaults_data();
    void injectedFaults();
    void shortWritesStillGiveCompleteFiles();
    void readOnlyFolder();
    void fullDisk();
    void structuredErrorNamesTheStep_data();
    void structuredErrorNamesTheStep();
    void structuredErrorOfTheCheck();
    void replacesThroughALinkAndCleansUp();
    void cleanupTestCase();

private:
    QString m_shim;
    Tally m_tally;
};

void TestSafeWrite::initTestCase()
{
    m_shim = QStringLiteral(MDNVIZ_FAULT_SHIM);
    QVERIFY2(QFileInfo::exists(m_shim), qPrintable(m_shim));
    QVERIFY(QFileInfo::exists(headless::binary()));
}

void TestSafeWrite::cleanupTestCase()
{
    qInfo("write faults: %d runs, %d hit a fault (injected, read-only folder, full disk), %d "
          "refused with exit 1, a message naming the file and the old file byte-identical",
          m_tally.runs, m_tally.faultsHit, m_tally.refusedIntact);
}

void TestSafeWrite::injectedFaults_data()
{
    QTest::addColumn<int>("writer");
    QTest::addColumn<QString>("op");
    QTest::addColumn<int>("nth");
    QTest::addColumn<int>("error");
    const QList<Writer> all = writers();
    for (int w = 0; w < all.size(); ++w)
        for (const char *op : {"open", "write", "fsync", "close", "rename"})
            for (int nth : {1, 2, 3, 5})
                for (int error : {ENOSPC, EIO}) {
                    if (error == EIO && nth > 2)
                        continue;
                    QTest::addRow("%s, %s #%d, %s", all[w].name, op, nth,
                                  error == ENOSPC ? "ENOSPC" : "EIO")
                        << w << QString::fromLatin1(op) << nth << error;
                }
}

void TestSafeWrite::injectedFaults()
{
    QFETCH(int, writer);
    QFETCH(QString, op);
    QFETCH(int, nth);
    QFETCH(int, error);
    const Writer w = writers()[writer];
    QTemporaryDir dir;
    const QString target = dir.filePath(QLatin1String(w.file));
    const QString log = dir.path() + ".faults";
    QFile::remove(log);
    QVERIFY(headless::writeFile(target, oldContent(w).toUtf8()));
    const QByteArray before = headless::sha256(target);

    QProcessEnvironment env = headless::environment();
    env.insert("LD_PRELOAD", m_shim);
    // An instrumented binary wants its sanitizer runtime first; the shim only forwards calls.
    env.insert("ASAN_OPTIONS", env.value("ASAN_OPTIONS") + ":verify_asan_link_order=0");
    env.insert("MDNVIZ_FAULT_OP", op);
    env.insert("MDNVIZ_FAULT_PATH", dir.path() + "/");
    env.insert("MDNVIZ_FAULT_NTH", QString::number(nth));
    env.insert("MDNVIZ_FAULT_ERRNO", QString::number(error));
    env.insert("MDNVIZ_FAULT_LOG", log);
    const headless::Run r = headless::run(writerArgs(w, target), 120000, env);
    const bool hit = QFileInfo::exists(log);
    QFile::remove(log);
    ++m_tally.runs;
    QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
    QCOMPARE(headless::entries(dir.path()), QStringList{QLatin1String(w.file)});
    if (!hit) { // fewer such calls than nth: the write went through
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        QVERIFY(looksComplete(w, target));
        return;
    }
    ++m_tally.faultsHit;
    // Every counted call is on the file being written (the folder's own fsync, which is best
    // effort, does not match the path filter "dir/"): each failure must be reported.
    QVERIFY2(r.exitCode == 1, qPrintable(QStringLiteral("%1 failed, yet: %2").arg(op, r.describe())));
    QCOMPARE(headless::sha256(target), before);
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(QStringLiteral("mdnviz: error: ")) && err.contains(target),
             qPrintable(err));
    QVERIFY2(err.contains(QString::fromLocal8Bit(std::strerror(error))), qPrintable(err));
    ++m_tally.refusedIntact;
}

void TestSafeWrite::shortWritesStillGiveCompleteFiles()
{
    for (const Writer &w : writers()) {
        QTemporaryDir dir;
        const QString reference = dir.filePath(QStringLiteral("reference-") + w.file);
        const QString target = dir.filePath(QLatin1String(w.file));
        QVERIFY(headless::writeFile(target, oldContent(w).toUtf8()));
        const headless::Run plain = headless::run(writerArgs(w, reference));
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.describe()));

        QProcessEnvironment env = headless::environment();
        env.insert("LD_PRELOAD", m_shim);
        env.insert("ASAN_OPTIONS", env.value("ASAN_OPTIONS") + ":verify_asan_link_order=0");
        env.insert("MDNVIZ_FAULT_SHORT", "7"); // every write() moves at most 7 bytes
        env.insert("MDNVIZ_FAULT_PATH", dir.path() + "/");
        const headless::Run r = headless::run(writerArgs(w, target), 120000, env);
        QVERIFY2(r.exitCode == 0 && !r.sanitizerSpoke(), qPrintable(r.describe()));
        QVERIFY2(looksComplete(w, target), w.name);
        if (!QByteArray(w.file).endsWith(".json")) // the report holds timings
            QCOMPARE(headless::sha256(target), headless::sha256(reference));
    }
}

void TestSafeWrite::readOnlyFolder()
{
    if (headless::isRoot() && !haveSetpriv())
        QSKIP("running as root without setpriv: root ignores permissions");
    QTemporaryDir parent;
    QVERIFY(::chmod(QFile::encodeName(parent.path()).constData(), 0755) == 0);
    const QString dir = parent.filePath(QStringLiteral("read-only"));
    QVERIFY(QDir().mkdir(dir));
    QStringList files;
    for (const Writer &w : writers()) {
        QVERIFY(headless::writeFile(dir + "/" + w.file, oldContent(w).toUtf8()));
        // Even a file anyone may write is replaced only through a temporary file, which the
        // folder refuses: in-place writing could leave it half-written.
        QVERIFY(::chmod(QFile::encodeName(dir + "/" + w.file).constData(), 0666) == 0);
        files << QLatin1String(w.file);
    }
    files.sort();
    QVERIFY(::chmod(QFile::encodeName(dir).constData(), 0555) == 0);
    struct Restore {
        QByteArray dir;
        ~Restore() { ::chmod(dir.constData(), 0755); }
    } restore{QFile::encodeName(dir)};

    for (const Writer &w : writers()) {
        const QString target = dir + "/" + w.file;
        const QByteArray before = headless::sha256(target);
        QStringList args = writerArgs(w, target);
        QString program = headless::binary();
        if (headless::isRoot()) {
            args = QStringList{"--reuid=nobody", "--regid=nogroup", "--clear-groups", program} + args;
            program = QStringLiteral("/usr/bin/setpriv");
        }
        const headless::Run r = headless::run(args, 120000, headless::environment(), program);
        ++m_tally.runs;
        QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(target) && err.contains(QStringLiteral("Permission denied")),
                 qPrintable(err));
        QCOMPARE(headless::sha256(target), before);
        QCOMPARE(headless::entries(dir), files);
        ++m_tally.faultsHit;
        ++m_tally.refusedIntact;
    }
}

void TestSafeWrite::fullDisk()
{
    if (!headless::isRoot())
        QSKIP("mounting a small tmpfs needs root");
    QTemporaryDir parent;
    const QString dir = parent.filePath(QStringLiteral("full"));
    QVERIFY(QDir().mkdir(dir));
    const QByteArray mountPoint = QFile::encodeName(dir);
    if (::mount("tmpfs", mountPoint.constData(), "tmpfs", 0, "size=64k,mode=0755") != 0)
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs here: %1").arg(std::strerror(errno))));
    struct Unmount {
        QByteArray path;
        ~Unmount() { ::umount2(path.constData(), MNT_DETACH); }
    } unmount{mountPoint};

    QStringList files;
    for (const Writer &w : writers()) {
        QVERIFY(headless::writeFile(dir + "/" + w.file, oldContent(w).toUtf8()));
        files << QLatin1String(w.file);
    }
    // Fill what is left, so that not even a small report fits.
    {
        QFile filler(dir + "/filler");
        QVERIFY(filler.open(QIODevice::WriteOnly));
        const QByteArray block(512, 'f');
        while (filler.write(block) == block.size() && filler.flush()) {
        }
        files << QStringLiteral("filler");
    }
    files.sort();
    for (const Writer &w : writers()) {
        const QString target = dir + "/" + w.file;
        const QByteArray before = headless::sha256(target);
        const headless::Run r = headless::run(writerArgs(w, target));
        ++m_tally.runs;
        QVERIFY2(r.endedCleanly() && !r.sanitizerSpoke(), qPrintable(r.describe()));
        QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains(target) && err.contains(QStringLiteral("No space left on device")),
                 qPrintable(err));
        QCOMPARE(headless::sha256(target), before);
        QCOMPARE(headless::entries(dir), files);
        ++m_tally.faultsHit;
        ++m_tally.refusedIntact;
    }
    // With room again, the same saves succeed.
    QVERIFY(QFile::remove(dir + "/filler"));
    const headless::Run ok = headless::run(writerArgs(writers()[3], dir + "/report.json"));
    QVERIFY2(ok.exitCode == 0, qPrintable(ok.describe()));
    QVERIFY(looksComplete(writers()[3], dir + "/report.json"));
}

// Each step of the replacement failing in turn: the error names that step, the target, the
// temporary file and the OS reason, and toString() says all of it in one line.
void TestSafeWrite::structuredErrorNamesTheStep_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<int>("error");
    for (const char *op : {"open", "write", "fsync", "close", "rename"})
        for (int error : {ENOSPC, EIO})
            QTest::addRow("%s, %s", op, error == ENOSPC ? "ENOSPC" : "EIO")
                << QString::fromLatin1(op) << error;
}

void TestSafeWrite::structuredErrorNamesTheStep()
{
    QFETCH(QString, op);
    QFETCH(int, error);
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("data.csv"));
    const QString log = dir.path() + ".faults";
    QFile::remove(log);
    QVERIFY(headless::writeFile(target, "old\n"));

    QProcessEnvironment env = headless::environment();
    env.insert("LD_PRELOAD", m_shim);
    env.insert("ASAN_OPTIONS", env.value("ASAN_OPTIONS") + ":verify_asan_link_order=0");
    env.insert("MDNVIZ_FAULT_OP", op);
    env.insert("MDNVIZ_FAULT_PATH", dir.path() + "/");
    env.insert("MDNVIZ_FAULT_ERRNO", QString::number(error));
    env.insert("MDNVIZ_FAULT_LOG", log);
    const headless::Run r = headless::run({"--write-child", target}, 60000, env,
                                          QCoreApplication::applicationFilePath());
    const bool hit = QFileInfo::exists(log);
    QFile::remove(log);
    QVERIFY2(hit, "the fault was not injected");
    QVERIFY2(r.exitCode == 1 && !r.sanitizerSpoke(), qPrintable(r.describe() + r.out));
    const QMap<QString, QString> e = fields(r.out);
    QCOMPARE(e.value("step"), op);
    QCOMPARE(e.value("file"), target);
    QCOMPARE(e.value("reason"), osReason(error));
    QVERIFY2(e.value("temporary").startsWith(dir.path() + "/.data.csv.mdnviz-tmp-"),
             qPrintable(e.value("temporary")));
    const QString message = e.value("message");
    QVERIFY2(message.startsWith("cannot write '" + target + "': "), qPrintable(message));
    QVERIFY2(message.contains("'" + e.value("temporary") + "'"), qPrintable(message));
    QVERIFY2(message.endsWith("failed: " + osReason(error)) ||
                 (op == "open" && message.endsWith(": " + osReason(error))),
             qPrintable(message));
    QCOMPARE(headless::readFile(target), QByteArray("old\n"));
    QCOMPARE(headless::entries(dir.path()), QStringList{"data.csv"});
}

// Refusals before anything is written: step "check", no temporary file, the reason in words.
void TestSafeWrite::structuredErrorOfTheCheck()
{
    QTemporaryDir dir;
    const auto check = [](const QString &path, const QString &phrase) {
        mdn::WriteError e;
        std::string resolved;
        if (mdn::checkOutputTarget(path.toStdString(), resolved, e))
            return QStringLiteral("accepted");
        mdn::WriteError w;
        if (mdn::writeFileAtomically(path.toStdString(), "x", w))
            return QStringLiteral("written");
        std::string asString, writeString;
        mdn::checkOutputTarget(path.toStdString(), resolved, asString);
        mdn::writeFileAtomically(path.toStdString(), "x", writeString);
        const QString message = QString::fromStdString(e.toString());
        if (e.step != "check" || w.step != "check" || QString::fromStdString(e.file) != path ||
            !e.temporary.empty() || !QString::fromStdString(e.reason).contains(phrase) ||
            message != "cannot write '" + path + "': " + QString::fromStdString(e.reason) ||
            asString != e.toString() || writeString != w.toString())
            return QStringLiteral("step %1, file %2, reason %3, message %4")
                .arg(QString::fromStdString(e.step), QString::fromStdString(e.file),
                     QString::fromStdString(e.reason), message);
        return QString();
    };
    const QString missing = dir.filePath("missing/out.csv");
    QString problem =
        check(missing, "the folder '" + dir.filePath("missing/") + "': " + osReason(ENOENT));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = check(QString(), "not a file name");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    problem = check(dir.path() + "/", "not a file name");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(QDir(dir.path()).mkdir("folder.csv"));
    problem = check(dir.filePath("folder.csv"), "it is a directory, not a regular file");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    const QString readOnly = dir.filePath("read-only.csv");
    QVERIFY(headless::writeFile(readOnly, "keep\n"));
    QVERIFY(::chmod(QFile::encodeName(readOnly).constData(), 0444) == 0);
    problem = check(readOnly, "is read-only; mdnviz does not replace a read-only file");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(headless::readFile(readOnly), QByteArray("keep\n"));
    // Through a link, the message names the link's target too.
    const QString link = dir.filePath("link.csv");
    QVERIFY(QFile::link(readOnly, link));
    problem = check(link, "the file (the target of the link, '" + readOnly + "') is read-only");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(headless::entries(dir.path()),
             (QStringList{"folder.csv", "link.csv", "read-only.csv"}));
}

// A link is kept and its target replaced; the temporary files of a writer that died are removed
// by the next save, those of a live process are not.
void TestSafeWrite::replacesThroughALinkAndCleansUp()
{
    QTemporaryDir dir;
    const QString target = dir.filePath("target.csv");
    const QString link = dir.filePath("link.csv");
    QVERIFY(headless::writeFile(target, "old\n"));
    QVERIFY(QFile::link(target, link));

    // A process id that is certainly gone: a child that has ended and been reaped.
    const pid_t deadPid = ::fork();
    if (deadPid == 0)
        ::_exit(0);
    QVERIFY(deadPid > 0);
    QVERIFY(::waitpid(deadPid, nullptr, 0) == deadPid);
    const QString dead =
        dir.filePath(QStringLiteral(".target.csv.mdnviz-tmp-%1-0").arg(qint64(deadPid)));
    const QString alive =
        dir.filePath(QStringLiteral(".target.csv.mdnviz-tmp-%1-0").arg(qint64(::getppid())));
    QVERIFY(headless::writeFile(dead, "half"));
    QVERIFY(headless::writeFile(alive, "half"));
    // Older than this process, as a killed writer's file is.
    const utimbuf past{1000000000, 1000000000};
    QVERIFY(::utime(QFile::encodeName(dead).constData(), &past) == 0);
    QVERIFY(::utime(QFile::encodeName(alive).constData(), &past) == 0);

    mdn::WriteError e;
    std::string resolved;
    QVERIFY(mdn::checkOutputTarget(link.toStdString(), resolved, e));
    QCOMPARE(QString::fromStdString(resolved), target);
    QVERIFY2(mdn::writeFileAtomically(link.toStdString(), "new\n", e), e.toString().c_str());
    QVERIFY(QFileInfo(link).isSymLink());
    QCOMPARE(headless::readFile(target), QByteArray("new\n"));
    QStringList expected{QFileInfo(alive).fileName(), "link.csv", "target.csv"};
    expected.sort();
    QCOMPARE(headless::entries(dir.path()), expected);
}

int main(int argc, char **argv)
{
    if (argc == 3 && std::strcmp(argv[1], "--write-child") == 0)
        return writeChild(argv[2]);
    QCoreApplication app(argc, argv);
    TestSafeWrite test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_safewrite.moc"
