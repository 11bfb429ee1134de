// Hostile input files, category by category, through the real headless binary. Every run must end
// by itself (exit code below 128, no sanitizer report, no hang); a refusal exits 1 with one line
// naming the file and the line and column (or the limit hit); what the README lists as accepted
// loads with the right number of rows. The corpus is generated here, seeded, so that each
// category covers several positions and spellings; each category prints how many cases passed.

#include "headless.h"

#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QRandomGenerator>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest/QTest>

#include <functional>

#include <sys/stat.h>
#include <unistd.h>

namespace {

struct Case {
    Case() = default;
    explicit Case(QString n, QByteArray b = {}) : name(std::move(n)), bytes(std::move(b)) {}

    QString name;
    QByteArray bytes;                                 // the file's content...
    std::function<bool(const QString &path)> prepare; // ...or a function that makes the file
    QString fixedPath;                                // ...or an existing path (device, folder)
    bool accept = false;
    int rows = 0;             // accepted: the data rows expected
    int line = 0, column = 0; // refused: the position the message must name (0: none)
    QString phrase;           // refused: part of the message
    QStringList args;         // extra options
    // Races (a file changed while it is read): any clean ending is right, as long as a refusal
    // names the file.
    bool anyOutcome = false;
    std::function<void(const QString &path)> whileRunning; // run once the process has started
    bool asNobody = false; // run as an unprivileged user (root ignores file permissions)
    int timeoutMs = 60000;
};

struct Tally {
    int passed = 0, total = 0, skipped = 0;
    qint64 peakRssKib = 0; // the largest of the runs
    int racesLoaded = 0, racesRefused = 0; // how the races ended
};

QMap<QString, Tally> &tallies()
{
    static QMap<QString, Tally> t;
    return t;
}

// "1.5,2.25" style rows with a header, the bad field put at data row `badRow` (1-based), field
// `badCol` (1 or 2). Returns the text; the bad field's line is badRow + 1.
QByteArray tableWith(int rows, int badRow, int badCol, const QByteArray &bad, char delimiter = ',',
                     const QByteArray &header = "x,y")
{
    QByteArray text = header;
    text.replace(',', delimiter);
    text += '\n';
    for (int r = 1; r <= rows; ++r) {
        QByteArray x = QByteArray::number(r * 0.5), y = QByteArray::number(-r * 0.25);
        if (r == badRow)
            (badCol == 1 ? x : y) = bad;
        text += x + delimiter + y + '\n';
    }
    return text;
}

bool writeChunked(const QString &path, const QByteArray &head, char fill, qint64 bytes,
                  const QByteArray &tail)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const QByteArray chunk(1 << 20, fill);
    if (f.write(head) != head.size())
        return false;
    for (qint64 left = bytes; left > 0; left -= chunk.size()) {
        const qint64 n = std::min<qint64>(left, chunk.size());
        if (f.write(chunk.constData(), n) != n)
            return false;
    }
    return f.write(tail) == tail.size() && f.flush();
}

bool haveSetpriv() { return QFileInfo::exists(QStringLiteral("/usr/bin/setpriv")); }

} // namespace

class TestHostile : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();

    void outOfRangeNumbers();
    void nanAndInfLiterals();
    void emptyCells();
    void decimalComma();
    void mixedLineEndsAreAccepted();
    void byteOrderMarkIsAccepted();
    void unclosedQuoteAtEof();
    void nulBytes();
    void invalidUtf8();
    void hugeSingleLine();
    void hundredThousandColumns();
    void rowCap();
    void fileVanishesOrChangesWhileRead();
    void directory();
    void devicesAndPipes();
    void noReadPermission();
    void nothingToLoad();

private:
    void runCategory(const QString &category, const QList<Case> &cases);
    bool check(const Case &c, const QString &path, const headless::Run &r, QString &why);

    QTemporaryDir m_dir;
};

void TestHostile::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo::exists(headless::binary()), qPrintable(headless::binary()));
}

void TestHostile::cleanupTestCase()
{
    int passed = 0, total = 0;
    qint64 peak = 0;
    for (auto it = tallies().begin(); it != tallies().end(); ++it) {
        qInfo("hostile input: %-36s %3d/%-3d passed, peak RSS %4lld MiB%s", qPrintable(it.key()),
              it->passed, it->total, it->peakRssKib / 1024,
              it->skipped ? qPrintable(QStringLiteral(" (%1 skipped)").arg(it->skipped)) : "");
        passed += it->passed;
        total += it->total;
        peak = std::max(peak, it->peakRssKib);
    }
    qInfo("hostile input: %d/%d cases passed in %d categories; peak RSS of any run %lld MiB",
          passed, total, int(tallies().size()), peak / 1024);
}

bool TestHostile::check(const Case &c, const QString &path, const headless::Run &r, QString &why)
{
    why = r.describe();
    if (!r.endedCleanly() || r.sanitizerSpoke())
        return false;
    const QString err = QString::fromUtf8(r.err);
    const QString prefix = QStringLiteral("mdnviz: error: ") + path;
    if (c.anyOutcome)
        return r.exitCode == 0 || (r.exitCode == 1 && err.contains(prefix));
    if (c.accept) {
        if (r.exitCode != 0)
            return false;
        const QJsonObject report =
            QJsonDocument::fromJson(headless::readFile(path + ".report.json")).object();
        const int rows = report["dataset"].toObject()["points"].toInt();
        why = QStringLiteral("accepted %1 rows, expected %2").arg(rows).arg(c.rows);
        return rows == c.rows;
    }
    if (r.exitCode != 1)
        return false;
    QString where = prefix;
    if (c.line > 0)
        where += QStringLiteral(":%1").arg(c.line);
    if (c.column > 0)
        where += QStringLiteral(":%1").arg(c.column);
    where += QStringLiteral(": ");
    why = QStringLiteral("expected '%1' and '%2' in: %3").arg(where, c.phrase, err);
    return err.contains(where) && err.contains(c.phrase);
}

void TestHostile::runCategory(const QString &category, const QList<Case> &cases)
{
    Tally &tally = tallies()[category];
    QStringList failures;
    int index = 0;
    for (const Case &c : cases) {
        ++index;
        QString path = c.fixedPath;
        if (path.isEmpty()) {
            QString stem = category;
            for (QChar &ch : stem)
                if (!ch.isLetterOrNumber())
                    ch = QLatin1Char('_');
            path = m_dir.filePath(QStringLiteral("%1-%2.csv").arg(stem).arg(index));
            const bool made = c.prepare ? c.prepare(path) : headless::writeFile(path, c.bytes);
            if (!made) {
                ++tally.skipped;
                qInfo("%s / %s: skipped (could not make the file)", qPrintable(category),
                      qPrintable(c.name));
                continue;
            }
        }
        if (c.asNobody && headless::isRoot() && !haveSetpriv()) {
            ++tally.skipped;
            continue;
        }
        QStringList args{QStringLiteral("--headless"), QStringLiteral("--data"), path,
                         QStringLiteral("--epochs"), QStringLiteral("0"),
                         QStringLiteral("--model"), QStringLiteral("mse")};
        if (c.accept)
            args << QStringLiteral("--report") << path + ".report.json";
        args += c.args;
        QString program = headless::binary();
        if (c.asNobody && headless::isRoot()) {
            args.prepend(program);
            args = QStringList{QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                               QStringLiteral("--clear-groups")} + args;
            program = QStringLiteral("/usr/bin/setpriv");
        }
        const auto started = [&](QProcess &) {
            if (c.whileRunning)
                c.whileRunning(path);
        };
        const headless::Run r = headless::run(args, c.timeoutMs, headless::environment(), program,
                                              started);
        QString why;
        ++tally.total;
        tally.peakRssKib = std::max(tally.peakRssKib, r.peakRssKib);
        if (check(c, path, r, why))
            ++tally.passed;
        else
            failures << c.name + ": " + why;
        if (c.anyOutcome)
            ++(r.exitCode == 0 ? tally.racesLoaded : tally.racesRefused);
        if (c.fixedPath.isEmpty() && !c.asNobody)
            QFile::remove(path); // the huge ones must not pile up
        QFile::remove(path + ".report.json");
    }
    qInfo("%s: %d/%d passed", qPrintable(category), tally.passed, tally.total);
    if (tally.racesLoaded + tally.racesRefused > 0)
        qInfo("%s: %d loaded the file as it was when opened, %d refused it naming the file",
              qPrintable(category), tally.racesLoaded, tally.racesRefused);
    QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QStringLiteral("\n"))));
}

void TestHostile::outOfRangeNumbers()
{
    QRandomGenerator rng(401);
    QList<Case> cases;
    const QList<QByteArray> values{"1e400",   "-1e400",    "1e309",   "2e308",
                                   "1.8e308", "-1.8e+308", "\"1e400\"",
                                   "0.00000000001e320", "999999999e300"};
    for (const QByteArray &v : values) {
        const int row = 1 + int(rng.bounded(40)), col = 1 + int(rng.bounded(2));
        cases << Case{QString::fromLatin1(v), tableWith(50, row, col, v)};
        cases.back().line = row + 1;
        cases.back().column = col;
        cases.back().phrase = QStringLiteral("out of range");
    }
    // Too small for a double rounds to zero, as strtod does: accepted.
    Case tiny{QStringLiteral("1e-400 (underflow)"), tableWith(50, 7, 2, "1e-400")};
    tiny.accept = true;
    tiny.rows = 50;
    cases << tiny;
    runCategory(QStringLiteral("out-of-range numbers"), cases);
}

void TestHostile::nanAndInfLiterals()
{
    QRandomGenerator rng(402);
    QList<Case> cases;
    for (const char *v : {"nan", "NaN", "-nan", "inf", "-Inf", "+INFINITY", "Infinity",
                               "nan(123)", "\"nan\"", " inf "}) {
        const int row = 1 + int(rng.bounded(40)), col = 1 + int(rng.bounded(2));
        Case c{QString::fromLatin1(v), tableWith(50, row, col, v)};
        c.line = row + 1;
        c.column = col;
        c.phrase = QStringLiteral("non-finite");
        cases << c;
    }
    runCategory(QStringLiteral("nan/inf literals"), cases);
}

void TestHostile::emptyCells()
{
    QRandomGenerator rng(403);
    QList<Case> cases;
    for (const char *v : {"", " ", "\t", "\"\"", "\" \""}) {
        for (int col : {1, 2}) {
            const int row = 1 + int(rng.bounded(40));
            Case c{QStringLiteral("'%1' in field %2").arg(QString::fromLatin1(v)).arg(col),
                   tableWith(50, row, col, v)};
            c.line = row + 1;
            c.column = col;
            c.phrase = QStringLiteral("empty cell");
            cases << c;
        }
    }
    Case both{QStringLiteral("row of delimiters"), tableWith(10, 4, 1, "") };
    both.bytes.replace("\n,-1\n", "\n,\n"); // row 4's y removed as well
    both.line = 5;
    both.column = 1;
    both.phrase = QStringLiteral("empty cell");
    cases << both;
    runCategory(QStringLiteral("empty cells"), cases);
}

void TestHostile::decimalComma()
{
    QRandomGenerator rng(404);
    QList<Case> cases;
    for (const char delimiter : {';', '\t'}) {
        for (const char *v : {"1,5", "-2,25", "3,5e2", "\"4,75\""}) {
            const int row = 1 + int(rng.bounded(40)), col = 1 + int(rng.bounded(2));
            Case c{QStringLiteral("%1 with %2").arg(QString::fromLatin1(v),
                                                     delimiter == ';' ? "';'" : "tab"),
                   tableWith(50, row, col, v, delimiter)};
            c.line = row + 1;
            c.column = col;
            c.phrase = QStringLiteral("decimal comma");
            cases << c;
        }
    }
    Case quoted{QStringLiteral("quoted in a ',' file"), tableWith(20, 9, 2, "\"0,5\"")};
    quoted.line = 10;
    quoted.column = 2;
    quoted.phrase = QStringLiteral("decimal comma");
    cases << quoted;
    runCategory(QStringLiteral("decimal comma"), cases);
}

void TestHostile::mixedLineEndsAreAccepted()
{
    QRandomGenerator rng(405);
    QList<Case> cases;
    const QByteArray ends[] = {"\n", "\r", "\r\n"};
    for (int variant = 0; variant < 8; ++variant) {
        const int rows = 20 + int(rng.bounded(200));
        QByteArray text = variant % 2 ? "x,y" : "";
        if (!text.isEmpty())
            text += ends[rng.bounded(3)];
        for (int r = 0; r < rows; ++r) {
            text += QByteArray::number(r) + ',' + QByteArray::number(r * 0.5);
            // The last line may end without a line end; blank lines may sit anywhere.
            if (r + 1 < rows || variant % 3)
                text += ends[rng.bounded(3)];
            if (rng.bounded(10) == 0 && r + 1 < rows)
                text += ends[rng.bounded(3)];
        }
        Case c{QStringLiteral("variant %1, %2 rows").arg(variant).arg(rows), text};
        c.accept = true;
        c.rows = rows;
        cases << c;
    }
    runCategory(QStringLiteral("mixed CR/LF/CRLF (accepted)"), cases);
}

void TestHostile::byteOrderMarkIsAccepted()
{
    const QByteArray bom = "\xEF\xBB\xBF";
    QList<Case> cases;
    const auto add = [&](const QString &name, const QByteArray &text, int rows) {
        Case c{name, text};
        c.accept = true;
        c.rows = rows;
        cases << c;
    };
    add(QStringLiteral("BOM + header, LF"), bom + "x,y\n1,2\n3,4\n", 2);
    add(QStringLiteral("BOM + data"), bom + "1,2\n3,4\n5,6\n", 3);
    add(QStringLiteral("BOM + header, CRLF, ';'"), bom + "x;y\r\n1,5;2\r\n", 0); // refused below
    cases.back().accept = false;
    cases.back().line = 2;
    cases.back().column = 1;
    cases.back().phrase = QStringLiteral("decimal comma");
    add(QStringLiteral("BOM + header, CRLF, ';', point"), bom + "x;y\r\n1.5;2\r\n3;4\r\n", 2);
    add(QStringLiteral("BOM + quoted header, tab"), bom + "\"x\"\t\"y\"\n1\t2\n", 1);
    add(QStringLiteral("BOM + blank line first"), bom + "\n\n1,2\n", 1);
    runCategory(QStringLiteral("UTF-8 BOM (accepted)"), cases);
}

void TestHostile::unclosedQuoteAtEof()
{
    QList<Case> cases;
    const auto add = [&](const QString &name, const QByteArray &text, int line, int column) {
        Case c{name, text};
        c.line = line;
        c.column = column;
        c.phrase = QStringLiteral("unterminated quoted field starting on line %1").arg(line);
        cases << c;
    };
    add(QStringLiteral("in y"), "x,y\n1,2\n3,\"4", 3, 2);
    add(QStringLiteral("in x"), "x,y\n1,2\n\"3,4", 3, 1);
    add(QStringLiteral("quote alone"), "1,2\n3,\"", 2, 2);
    add(QStringLiteral("escaped quote then EOF"), "1,2\n3,\"4\"\"", 2, 2);
    add(QStringLiteral("after CRLF lines"), "x,y\r\n1,2\r\n5,6\r\n\"7", 4, 1);
    add(QStringLiteral("with a line end"), "1,2\n3,\"4\n", 2, 2);
    add(QStringLiteral("first line"), "\"x,y", 1, 1);
    runCategory(QStringLiteral("unclosed quote at EOF"), cases);
}

void TestHostile::nulBytes()
{
    QRandomGenerator rng(406);
    QList<Case> cases;
    for (const QByteArray &v : {QByteArray("1\0", 2), QByteArray("\0", 1), QByteArray("\0" "5", 2),
                               QByteArray("\"2\0\"", 4), QByteArray("3\0\0\0", 4)}) {
        const int row = 1 + int(rng.bounded(40)), col = 1 + int(rng.bounded(2));
        Case c{QStringLiteral("%1 bytes in field %2").arg(v.size()).arg(col),
               tableWith(50, row, col, v)};
        c.line = row + 1;
        c.column = col;
        c.phrase = QStringLiteral("NUL byte");
        cases << c;
    }
    // UTF-16LE without a byte order mark: "1,2" becomes 1 NUL , NUL 2 NUL.
    Case utf16{QStringLiteral("UTF-16LE without BOM"), QByteArray("1\0,\0" "2\0\n\0", 8)};
    utf16.line = 1;
    utf16.column = 1;
    utf16.phrase = QStringLiteral("NUL byte");
    cases << utf16;
    runCategory(QStringLiteral("NUL bytes"), cases);
}

void TestHostile::invalidUtf8()
{
    QRandomGenerator rng(407);
    QList<Case> cases;
    for (const QByteArray &v : {QByteArray("1\xFF"), QByteArray("\xC0\x80"),
                               QByteArray("2\xED\xA0\x80"), QByteArray("\xF5\x80\x80\x80"),
                               QByteArray("3\xE9"), QByteArray("\x80"),
                               QByteArray("\"4\xFE\"")}) {
        const int row = 1 + int(rng.bounded(40)), col = 1 + int(rng.bounded(2));
        Case c{QStringLiteral("bytes %1 in field %2").arg(QString::fromLatin1(v.toHex())).arg(col),
               tableWith(50, row, col, v)};
        c.line = row + 1;
        c.column = col;
        c.phrase = QStringLiteral("invalid UTF-8");
        cases << c;
    }
    Case header{QStringLiteral("Latin-1 header"), "x,temp\xE9rature\n1,2\n"};
    header.line = 1;
    header.column = 2;
    header.phrase = QStringLiteral("invalid UTF-8");
    cases << header;
    Case truncated{QStringLiteral("sequence cut at end of file"), "x,y\n1,2\n3,4\xE2\x82"};
    truncated.line = 3;
    truncated.column = 2;
    truncated.phrase = QStringLiteral("invalid UTF-8");
    cases << truncated;
    runCategory(QStringLiteral("invalid UTF-8"), cases);
}

void TestHostile::hugeSingleLine()
{
    constexpr qint64 kHuge = 300LL << 20; // 300 MiB in one line
    const QStorageInfo disk(m_dir.path());
    const bool room = disk.bytesAvailable() > 3 * kHuge;
    QList<Case> cases;
    const auto add = [&](const QString &name, std::function<bool(const QString &)> prepare,
                         int line) {
        Case c;
        c.name = name;
        c.prepare = room ? std::move(prepare) : [](const QString &) { return false; };
        c.line = line;
        c.phrase = QStringLiteral("line longer than 1048576 bytes");
        c.timeoutMs = 60000;
        cases << c;
    };
    add(QStringLiteral("300 MiB of digits after a header"), [](const QString &path) {
        return writeChunked(path, "x,y\n", '1', kHuge, "\n1,2\n");
    }, 2);
    add(QStringLiteral("300 MiB quoted field on line 3"), [](const QString &path) {
        return writeChunked(path, "x,y\n1,2\n\"", '9', kHuge, "\",5\n");
    }, 3);
    add(QStringLiteral("300 MiB of spaces, no line end"), [](const QString &path) {
        return writeChunked(path, "1,2\n", ' ', kHuge, "");
    }, 2);
    // A sparse file: 300 MiB of NUL bytes that take no disk space.
    Case sparse;
    sparse.name = QStringLiteral("300 MiB sparse file of NUL bytes");
    sparse.prepare = [](const QString &path) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.resize(kHuge);
    };
    sparse.line = 1;
    sparse.phrase = QStringLiteral("line longer than 1048576 bytes");
    cases << sparse;

    QElapsedTimer clock;
    clock.start();
    runCategory(QStringLiteral("300 MiB single line"), cases);
    // The reader streams: no run held the line in memory (Qt alone takes some 40-100 MiB).
    const double peak = double(tallies()[QStringLiteral("300 MiB single line")].peakRssKib) / 1024.0;
    qInfo("300 MiB lines: %lld ms for %d files, peak RSS of any run %.0f MiB", clock.elapsed(),
          int(cases.size()), peak);
    QVERIFY2(peak > 0.0 && peak < 250.0, qPrintable(QString::number(peak)));
    if (!room)
        QSKIP("less than 900 MiB free: only the sparse file was tried");
}

void TestHostile::hundredThousandColumns()
{
    QList<Case> cases;
    const auto add = [&](const QString &name, const QByteArray &text, int line) {
        Case c{name, text};
        c.line = line;
        c.column = 65;
        c.phrase = QStringLiteral("more than 64 fields");
        cases << c;
    };
    const QByteArray wide = QByteArray("1") + QByteArray(",1").repeated(99999);
    add(QStringLiteral("first line"), wide + "\n1,2\n", 1);
    add(QStringLiteral("data row 5"), "x,y\n1,2\n3,4\n5,6\n" + wide + "\n7,8\n", 5);
    add(QStringLiteral("';' file"), "x;y\n1;2\n" + QByteArray("1") + QByteArray(";1").repeated(99999), 3);
    add(QStringLiteral("tab file"), "x\ty\n" + QByteArray("1") + QByteArray("\t2").repeated(99999), 2);
    add(QStringLiteral("100000 empty fields"), "1,2\n" + QByteArray(99999, ','), 2);
    add(QStringLiteral("quoted fields"), "\"x\",\"y\"\n" + QByteArray("\"1\"") + QByteArray(",\"1\"").repeated(99999), 2);
    runCategory(QStringLiteral("100,000 columns"), cases);
}

void TestHostile::rowCap()
{
    QList<Case> cases;
    for (const int cap : {1, 10, 1000}) {
        Case over{QStringLiteral("--max-rows %1, %2 rows").arg(cap).arg(cap + 1),
                  tableWith(cap + 1, 0, 1, "")};
        over.args << QStringLiteral("--max-rows") << QString::number(cap);
        over.line = cap + 2; // the header is line 1
        over.phrase = QStringLiteral("more than %1 data rows").arg(cap);
        cases << over;
        Case at{QStringLiteral("--max-rows %1, %1 rows").arg(cap), tableWith(cap, 0, 1, "")};
        at.args << QStringLiteral("--max-rows") << QString::number(cap);
        at.accept = true;
        at.rows = cap;
        cases << at;
    }
    Case blanks{QStringLiteral("--max-rows 2, blank lines between"), "x,y\n\n1,2\n\n3,4\n\n5,6\n"};
    blanks.args << QStringLiteral("--max-rows") << QStringLiteral("2");
    blanks.line = 7;
    blanks.phrase = QStringLiteral("more than 2 data rows");
    cases << blanks;
    // A bad value of the option itself: refused before any file is read.
    for (const char *bad : {"0", "-5", "abc", "1e30", "2.5"}) {
        Case c{QStringLiteral("--max-rows %1").arg(QLatin1String(bad)), "1,2\n"};
        c.args << QStringLiteral("--max-rows") << QLatin1String(bad);
        c.phrase = QStringLiteral("--max-rows %1: expected a whole number").arg(QLatin1String(bad));
        c.anyOutcome = false;
        cases << c;
    }
    // The option's messages do not name the file: check those cases on their own.
    QList<Case> fileCases, optionCases;
    for (const Case &c : cases)
        (c.phrase.startsWith(QStringLiteral("--max-rows")) ? optionCases : fileCases) << c;
    runCategory(QStringLiteral("row cap (--max-rows)"), fileCases);

    Tally &tally = tallies()[QStringLiteral("row cap (--max-rows)")];
    for (const Case &c : optionCases) {
        const QString path = m_dir.filePath(QStringLiteral("cap.csv"));
        QVERIFY(headless::writeFile(path, c.bytes));
        const headless::Run r = headless::run(QStringList{QStringLiteral("--headless"),
                                                          QStringLiteral("--data"), path} + c.args);
        ++tally.total;
        const bool ok = r.endedCleanly() && !r.sanitizerSpoke() && r.exitCode == 1 &&
                        QString::fromUtf8(r.err).contains(c.phrase);
        tally.passed += ok ? 1 : 0;
        QVERIFY2(ok, qPrintable(c.name + ": " + r.describe()));
    }
}

void TestHostile::fileVanishesOrChangesWhileRead()
{
    // About 40 MB of valid rows: long enough to be read while it changes.
    QByteArray big = "x,y\n";
    {
        QByteArray row;
        big.reserve(42 << 20);
        for (int i = 0; big.size() < (40 << 20); ++i) {
            row = QByteArray::number(i) + ',' + QByteArray::number(i * 0.001, 'g', 12) + '\n';
            big += row;
        }
    }
    const QString master = m_dir.filePath(QStringLiteral("big-master.csv"));
    QVERIFY(headless::writeFile(master, big));
    const auto copyOfBig = [master](const QString &path) {
        QFile::remove(path);
        return QFile::copy(master, path);
    };

    QList<Case> cases;
    Case gone{QStringLiteral("missing before start")};
    gone.prepare = [](const QString &) { return true; }; // nothing is made
    gone.phrase = QStringLiteral("cannot open: No such file or directory");
    cases << gone;
    for (int delay : {0, 40, 120, 250, 400}) {
        Case removed{QStringLiteral("deleted after %1 ms").arg(delay)};
        removed.prepare = copyOfBig;
        removed.anyOutcome = true;
        removed.whileRunning = [delay](const QString &path) {
            QThread::msleep(ulong(delay));
            QFile::remove(path);
        };
        cases << removed;

        Case truncated{QStringLiteral("truncated to half after %1 ms").arg(delay)};
        truncated.prepare = copyOfBig;
        truncated.anyOutcome = true;
        truncated.whileRunning = [delay](const QString &path) {
            QThread::msleep(ulong(delay));
            ::truncate(QFile::encodeName(path).constData(), 20 << 20);
        };
        cases << truncated;

        Case grown{QStringLiteral("appended to after %1 ms").arg(delay)};
        grown.prepare = copyOfBig;
        grown.anyOutcome = true;
        grown.whileRunning = [delay](const QString &path) {
            QThread::msleep(ulong(delay));
            QFile f(path);
            if (f.open(QIODevice::Append))
                f.write(QByteArray("1,2\n").repeated(1 << 18));
        };
        cases << grown;

        Case replaced{QStringLiteral("renamed over after %1 ms").arg(delay)};
        replaced.prepare = copyOfBig;
        replaced.anyOutcome = true;
        replaced.whileRunning = [delay](const QString &path) {
            QThread::msleep(ulong(delay));
            const QString other = path + ".new";
            headless::writeFile(other, "x,y\n1,2\n");
            ::rename(QFile::encodeName(other).constData(), QFile::encodeName(path).constData());
        };
        cases << replaced;
    }
    runCategory(QStringLiteral("file vanishes/changes while read"), cases);
    QFile::remove(master);
}

void TestHostile::directory()
{
    const QString sub = m_dir.filePath(QStringLiteral("folder.csv"));
    QVERIFY(QDir().mkpath(sub));
    QList<Case> cases;
    for (const QString &path : {sub, m_dir.path(), QStringLiteral("/"), sub + "/"}) {
        Case c{path};
        c.fixedPath = path;
        c.phrase = QStringLiteral("Is a directory");
        cases << c;
    }
    runCategory(QStringLiteral("directory"), cases);
}

void TestHostile::devicesAndPipes()
{
    const QString fifo = m_dir.filePath(QStringLiteral("pipe.csv"));
    QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0600) == 0);
    const QString link = m_dir.filePath(QStringLiteral("zero-link.csv"));
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), link));
    QList<Case> cases;
    const auto add = [&](const QString &path, const QString &phrase) {
        Case c{path};
        c.fixedPath = path;
        c.phrase = phrase;
        c.timeoutMs = 20000; // reading a device must not hang: it must not be read at all
        cases << c;
    };
    add(QStringLiteral("/dev/zero"), QStringLiteral("not a regular file (it is a character device)"));
    add(QStringLiteral("/dev/null"), QStringLiteral("not a regular file (it is a character device)"));
    add(QStringLiteral("/dev/urandom"), QStringLiteral("not a regular file (it is a character device)"));
    add(link, QStringLiteral("not a regular file (it is a character device)"));
    add(fifo, QStringLiteral("not a regular file (it is a pipe (FIFO))"));
    if (QFileInfo::exists(QStringLiteral("/dev/loop0")))
        add(QStringLiteral("/dev/loop0"), QStringLiteral("not a regular file (it is a block device)"));
    runCategory(QStringLiteral("devices and pipes"), cases);
}

void TestHostile::noReadPermission()
{
    if (headless::isRoot() && !haveSetpriv())
        QSKIP("running as root without setpriv: permissions cannot be tried");
    // A folder others may enter, so that an unprivileged user reaches the files.
    QTemporaryDir dir;
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
    QList<Case> cases;
    const auto add = [&](const QString &name, mode_t mode) {
        const QString path = dir.filePath(name);
        QVERIFY(headless::writeFile(path, "x,y\n1,2\n"));
        QVERIFY(::chmod(QFile::encodeName(path).constData(), mode) == 0);
        Case c{QStringLiteral("%1 (mode %2)").arg(name).arg(mode, 4, 8, QLatin1Char('0'))};
        c.fixedPath = path;
        c.asNobody = true;
        c.phrase = QStringLiteral("cannot open: Permission denied");
        cases << c;
    };
    add(QStringLiteral("none.csv"), 0000);
    add(QStringLiteral("write-only.csv"), 0222);
    if (!headless::isRoot()) { // the owner may read these: only another user is refused
        runCategory(QStringLiteral("no read permission"), cases);
        return;
    }
    add(QStringLiteral("owner-only.csv"), 0600);
    // A file inside a folder the user may not enter.
    const QString closed = dir.filePath(QStringLiteral("closed"));
    QVERIFY(QDir().mkpath(closed));
    QVERIFY(headless::writeFile(closed + "/data.csv", "x,y\n1,2\n"));
    QVERIFY(::chmod(QFile::encodeName(closed).constData(), 0700) == 0);
    Case inside{QStringLiteral("in a closed folder")};
    inside.fixedPath = closed + "/data.csv";
    inside.asNobody = true;
    inside.phrase = QStringLiteral("cannot open: Permission denied");
    cases << inside;
    runCategory(QStringLiteral("no read permission"), cases);
}

void TestHostile::nothingToLoad()
{
    QList<Case> cases;
    const auto add = [&](const QString &name, const QByteArray &text, const QString &phrase) {
        Case c{name, text};
        c.phrase = phrase;
        cases << c;
    };
    add(QStringLiteral("empty file"), QByteArray(), QStringLiteral("no data rows: the file is empty"));
    add(QStringLiteral("header only"), "x,y\n", QStringLiteral("only a header line"));
    add(QStringLiteral("blank lines only"), "\n\r\n \n\t\r", QStringLiteral("only blank lines"));
    add(QStringLiteral("BOM only"), "\xEF\xBB\xBF", QStringLiteral("no data rows"));
    runCategory(QStringLiteral("nothing to load"), cases);
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
