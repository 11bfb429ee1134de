// The CSV reader and writer: accepted and refused inputs with their exact error positions, the
// strict number parser, streaming (pieces of any size give the same outcome), file errors, limits,
// cancellation, progress, and the atomic writer.

#include "csv.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

using namespace mdn;
using Values = QList<double>;

namespace {

std::string_view view(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), std::size_t(bytes.size()));
}

QString qs(const std::string &s) { return QString::fromStdString(s); }

std::uint64_t bitsOf(double v)
{
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
}

// What a failed load must leave behind: the caller's previous dataset, unchanged.
Dataset previousDataset()
{
    Dataset d;
    d.x = {42.0, 43.0};
    d.y = {-1.0, -2.0};
    d.name = "previous";
    return d;
}

bool isPrevious(const Dataset &d)
{
    const Dataset p = previousDataset();
    return d.x == p.x && d.y == p.y && d.name == p.name;
}

struct Outcome {
    bool ok = false;
    Dataset data;
    CsvError err;
};

// Feeds `text` to the stream parser in pieces of `step` bytes.
Outcome parseInPieces(const QByteArray &text, std::size_t step, const CsvLimits &limits)
{
    Outcome o;
    CsvStreamParser parser("pieces", limits, std::uint64_t(text.size()));
    const std::string_view all = view(text);
    bool ok = true;
    for (std::size_t pos = 0; ok && pos < all.size(); pos += step)
        ok = parser.feed(all.substr(pos, step));
    o.ok = ok && parser.finish();
    if (o.ok)
        parser.moveInto(o.data);
    o.err = parser.error();
    return o;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Rows "i,-i/7" with CRLF line ends, about 25 bytes each.
QByteArray generatedCsv(int rows)
{
    QByteArray text = "x,y\r\n";
    for (int i = 0; i < rows; ++i)
        text += QByteArray::number(i) + ',' + QByteArray::number(-i / 7.0, 'g', 17) + "\r\n";
    return text;
}

using Names = QStringList;

Names namesOf(const std::vector<std::string> &names)
{
    Names out;
    for (const std::string &n : names)
        out << qs(n);
    return out;
}

std::vector<std::string> entries(const Names &names)
{
    std::vector<std::string> out;
    for (const QString &n : names)
        out.push_back(n.toStdString());
    return out;
}

// Four columns a, b, c, d whose values tell their column and row: 10 * row + column.
const QByteArray kFourColumns = "a,b,c,d\n11,12,13,14\n21,22,23,24\n31,32,33,34\n";

// Data directory of the CSV reference files and the fuzzing seeds.
QString csvData(const QString &name) { return QStringLiteral(MDNVIZ_TEST_DATA "/csv/") + name; }
QString seedDir() { return QStringLiteral(MDNVIZ_TEST_DATA "/../fuzz/csv_seeds"); }

} // namespace

class TestCsv : public QObject {
    Q_OBJECT
private slots:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void longTextIsTruncatedInMessages();
    void lineEndsAtEveryOffset();
    void lineLimitIsInclusive();
    void parseNumberCases_data();
    void parseNumberCases();
    void errorToString();

    void selectedColumns_data();
    void selectedColumns();
    void defaultColumnsForMoreThanTwo();
    void twoColumnFileAsBefore();
    void refusedSelection_data();
    void refusedSelection();
    void readWithSelection();
    void headerNames_data();
    void headerNames();
    void headerNamesRefused_data();
    void headerNamesRefused();
    void headerNamesReadOnlyTheFirstLine();

    void roundTripIsBitIdentical();
    void roundTripWithNames();
    void writeHeader_data();
    void writeHeader();
    void writeRefusesShapesAndNames_data();
    void writeRefusesShapesAndNames();
    void writeRefusesUnwritableData_data();
    void writeRefusesUnwritableData();
    void writeIntoMissingDirectoryFails();
    void writeOverDirectoryFails();
    void writeInReadOnlyDirectoryKeepsOldFile();
    void writeKeepsPermissions();

    void readMissingFile();
    void readDirectory();
    void readSpecialFiles();
    void readUnreadableFile();
    void readCancelled();
    void readMaxRows();
    void readHugeLineIsRefusedQuickly();
    void readReportsProgressWithTotal();
    void readMatchesParse();
    void readNoticesTruncation();
    void readReferenceFiles_data();
    void readReferenceFiles();
    void seedsGiveTheSameOutcomeInPieces();
};

// ---------------------------------------------------------------------------------------------
// Parsing text

void TestCsv::accepted_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Values>("xs");
    QTest::addColumn<Values>("ys");

    QTest::newRow("no header") << QByteArray("1,2\n3,4\n") << Values{1, 3} << Values{2, 4};
    QTest::newRow("header") << QByteArray("x,y\n1,2\n") << Values{1} << Values{2};
    QTest::newRow("quoted header")
        << QByteArray("\"input\",\"target\"\n1,2\n") << Values{1} << Values{2};
    QTest::newRow("header of words starting with digits")
        << QByteArray("1st,2nd\n1,2\n") << Values{1} << Values{2};
    QTest::newRow("UTF-8 header") << QByteArray("température,\xC3\xA7\xE2\x82\xAC\n1,2\n")
                                  << Values{1} << Values{2};
    QTest::newRow("header with quoted semicolon")
        << QByteArray("\"a;b\",y\n1,2\n") << Values{1} << Values{2};
    QTest::newRow("CRLF") << QByteArray("x,y\r\n1,2\r\n3,4\r\n") << Values{1, 3} << Values{2, 4};
    QTest::newRow("lone CR") << QByteArray("1,2\r3,4\r") << Values{1, 3} << Values{2, 4};
    QTest::newRow("mixed line ends")
        << QByteArray("1,2\r\n3,4\n5,6\r7,8") << Values{1, 3, 5, 7} << Values{2, 4, 6, 8};
    QTest::newRow("BOM and CRLF")
        << QByteArray("\xEF\xBB\xBFx,y\r\n1,2\r\n") << Values{1} << Values{2};
    QTest::newRow("BOM without header")
        << QByteArray("\xEF\xBB\xBF-1,2\n") << Values{-1} << Values{2};
    QTest::newRow("quoted numbers")
        << QByteArray("\"1.5\",\"-2\"\n") << Values{1.5} << Values{-2};
    QTest::newRow("quoted with spaces")
        << QByteArray(" \"1.5\" ,\" 2 \"\n") << Values{1.5} << Values{2};
    QTest::newRow("spaces") << QByteArray("  1 ,  2  \n") << Values{1} << Values{2};
    // The first line decides the delimiter; later lines may pad with tabs.
    QTest::newRow("spaces and tabs")
        << QByteArray("x,y\n\t1 ,\t2\t\n") << Values{1} << Values{2};
    QTest::newRow("scientific")
        << QByteArray("1e-3,-2.5E+02\n") << Values{1e-3} << Values{-250};
    QTest::newRow("leading plus") << QByteArray("+1,+.5\n") << Values{1} << Values{0.5};
    QTest::newRow("bare points") << QByteArray("1.,.5\n") << Values{1} << Values{0.5};
    QTest::newRow("semicolon") << QByteArray("x;y\n1.5;2\n3;-4\n") << Values{1.5, 3}
                               << Values{2, -4};
    QTest::newRow("semicolon with spaces")
        << QByteArray("1.5 ; 2\n") << Values{1.5} << Values{2};
    QTest::newRow("tab") << QByteArray("x\ty\n1\t2\n") << Values{1} << Values{2};
    QTest::newRow("tab with spaces") << QByteArray(" 1 \t 2 \n") << Values{1} << Values{2};
    QTest::newRow("trailing blank lines")
        << QByteArray("1,2\n\n\r\n  \n\t\n") << Values{1} << Values{2};
    QTest::newRow("leading blank lines")
        << QByteArray("\n \nx,y\n1,2\n") << Values{1} << Values{2};
    QTest::newRow("blank lines between rows")
        << QByteArray("1,2\n\n\n3,4\n") << Values{1, 3} << Values{2, 4};
    QTest::newRow("no final newline") << QByteArray("1,2\n3,4") << Values{1, 3} << Values{2, 4};
    QTest::newRow("single row, no newline") << QByteArray("5,6") << Values{5} << Values{6};
    QTest::newRow("too small for a double") << QByteArray("1e-400,-1e-400") << Values{0}
                                            << Values{0};
    QTest::newRow("precise digits") << QByteArray("0.1,123456789.123456789\n") << Values{0.1}
                                    << Values{123456789.123456789};
}

void TestCsv::accepted()
{
    QFETCH(QByteArray, text);
    QFETCH(Values, xs);
    QFETCH(Values, ys);

    Dataset out = previousDataset();
    CsvError err;
    QVERIFY2(parseCsv(view(text), "input.csv", out, err), err.toString().c_str());
    QCOMPARE(out.name, std::string("input.csv"));
    QCOMPARE(out.inputDims, 1);
    QCOMPARE(out.targetDims, 1);
    QVERIFY(out.shapeValid());
    QCOMPARE(out.size(), std::size_t(xs.size()));
    QCOMPARE(out.y.size(), std::size_t(ys.size()));
    for (int i = 0; i < xs.size(); ++i) {
        QCOMPARE(bitsOf(out.x[i]) & ~(1ull << 63), bitsOf(xs[i]) & ~(1ull << 63));
        QCOMPARE(bitsOf(out.y[i]) & ~(1ull << 63), bitsOf(ys[i]) & ~(1ull << 63));
        QCOMPARE(out.x[i], xs[i]);
        QCOMPARE(out.y[i], ys[i]);
    }
    // Splitting the text anywhere (inside a CRLF, a UTF-8 sequence, a number) changes nothing.
    for (std::size_t step : {1, 2, 3, 7}) {
        const Outcome o = parseInPieces(text, step, {});
        QVERIFY2(o.ok, o.err.toString().c_str());
        QCOMPARE(o.data.x, out.x);
        QCOMPARE(o.data.y, out.y);
    }
}

void TestCsv::refused_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("phrase");
    QTest::addColumn<qulonglong>("maxRows");      // 0: the default
    QTest::addColumn<qulonglong>("maxLineBytes"); // 0: the default
    const qulonglong dflt = 0;

    // Field counts.
    QTest::newRow("missing field") << QByteArray("1,2\n3\n") << 2 << 2 << "found 1" << dflt
                                   << dflt;
    QTest::newRow("extra field") << QByteArray("1,2\n1,2,3\n") << 2 << 3
                                 << "expected 2 fields (as on line 1), found 3" << dflt << dflt;
    QTest::newRow("extra empty field") << QByteArray("1,2\n3,4,\n") << 2 << 3 << "found 3"
                                       << dflt << dflt;
    QTest::newRow("trailing delimiter") << QByteArray("1,2,\n") << 1 << 3 << "empty cell"
                                        << dflt << dflt;
    QTest::newRow("one field") << QByteArray("1\n") << 1 << 2
                               << "expected at least 2 fields (an input and a target), found 1"
                               << dflt << dflt;
    QTest::newRow("header of one field") << QByteArray("x\n1,2\n") << 1 << 2 << "found 1"
                                         << dflt << dflt;
    QTest::newRow("header of three fields, row of two")
        << QByteArray("x,y,z\n1,2\n") << 2 << 3 << "expected 3 fields (as on line 1), found 2"
        << dflt << dflt;
    QTest::newRow("ragged row, one short")
        << QByteArray("a,b,c,d\n1,2,3,4\n\n5,6,7\n") << 4 << 4
        << "expected 4 fields (as on line 1), found 3" << dflt << dflt;
    QTest::newRow("ragged row, one long")
        << QByteArray("\n1,2,3\n4,5,6,7\n") << 3 << 4
        << "expected 3 fields (as on line 2), found 4" << dflt << dflt;
    QTest::newRow("65 fields") << (QByteArray("1") + QByteArray(",1").repeated(64)) << 1 << 65
                               << "more than 64 fields" << dflt << dflt;
    QTest::newRow("100000 fields") << (QByteArray("1,2\n1") + QByteArray(",1").repeated(99999))
                                   << 2 << 65 << "more than 64 fields; expected 2 fields" << dflt
                                   << dflt;

    // Empty cells.
    QTest::newRow("empty y") << QByteArray("1,\n") << 1 << 2 << "empty cell" << dflt << dflt;
    QTest::newRow("empty x") << QByteArray(",2\n") << 1 << 1 << "empty cell" << dflt << dflt;
    QTest::newRow("blank x") << QByteArray("1,2\n  ,2\n") << 2 << 1 << "empty cell" << dflt
                             << dflt;
    QTest::newRow("quoted empty") << QByteArray("\"\",2\n") << 1 << 1 << "empty cell" << dflt
                                  << dflt;
    QTest::newRow("row of delimiters")
        << QByteArray("1,2\n,\n") << 2 << 1 << "empty cell" << dflt << dflt;
    QTest::newRow("header with empty name")
        << QByteArray("x,\n1,2\n") << 1 << 2 << "empty cell in the header" << dflt << dflt;
    QTest::newRow("header with empty first name")
        << QByteArray("\"\",y\n1,2\n") << 1 << 1 << "empty cell in the header" << dflt << dflt;
    QTest::newRow("header with an empty name among four")
        << QByteArray("a,b, ,d\n1,2,3,4\n") << 1 << 3 << "name every column" << dflt << dflt;
    QTest::newRow("text in a middle column")
        << QByteArray("a,b,c,d\n1,2,3,4\n1,2,three,4\n") << 3 << 3 << "not a number: 'three'"
        << dflt << dflt;
    QTest::newRow("empty last of four") << QByteArray("1,2,3,4\n1,2,3,\n") << 2 << 4
                                        << "empty cell" << dflt << dflt;

    // Values.
    QTest::newRow("text") << QByteArray("1,abc\n") << 1 << 2 << "not a number: 'abc'" << dflt
                          << dflt;
    QTest::newRow("text after a header")
        << QByteArray("x,y\n1,2\na,b\n") << 3 << 1 << "not a number: 'a'" << dflt << dflt;
    QTest::newRow("second header") << QByteArray("1,2\nx,y\n") << 2 << 1 << "not a number"
                                   << dflt << dflt;
    QTest::newRow("half header") << QByteArray("x,1\n") << 1 << 1 << "not a number: 'x'" << dflt
                                 << dflt;
    QTest::newRow("number then text") << QByteArray("1,y\n") << 1 << 2 << "not a number: 'y'"
                                      << dflt << dflt;
    QTest::newRow("tab padding on the first line")
        << QByteArray("1,\t2\n") << 1 << 1 << "the delimiter is a tab, detected from line 1"
        << dflt << dflt;
    QTest::newRow("inner space") << QByteArray("1,2 3\n") << 1 << 2 << "'2 3'" << dflt << dflt;
    QTest::newRow("two points") << QByteArray("1.2.3,4\n") << 1 << 1 << "not a number" << dflt
                                << dflt;
    QTest::newRow("escaped quote in number")
        << QByteArray("\"1\"\"5\",2\n") << 1 << 1 << "not a number" << dflt << dflt;
    QTest::newRow("nan") << QByteArray("nan,1\n") << 1 << 1 << "non-finite" << dflt << dflt;
    QTest::newRow("NaN,NaN") << QByteArray("NaN,NaN\n") << 1 << 1 << "non-finite" << dflt
                             << dflt;
    QTest::newRow("inf") << QByteArray("1,inf\n") << 1 << 2 << "non-finite" << dflt << dflt;
    QTest::newRow("-Infinity") << QByteArray("1,2\n1,-Infinity\n") << 2 << 2 << "non-finite"
                               << dflt << dflt;
    QTest::newRow("quoted nan") << QByteArray("\"nan\",1\n") << 1 << 1 << "non-finite" << dflt
                                << dflt;
    QTest::newRow("1e400") << QByteArray("1e400,1\n") << 1 << 1 << "out of range" << dflt
                           << dflt;
    QTest::newRow("-1e400") << QByteArray("x,y\n1,-1e400\n") << 2 << 2 << "out of range" << dflt
                            << dflt;
    QTest::newRow("hex") << QByteArray("0x10,1\n") << 1 << 1 << "hexadecimal" << dflt << dflt;
    QTest::newRow("decimal comma, semicolon")
        << QByteArray("1,5;2\n") << 1 << 1 << "decimal comma" << dflt << dflt;
    QTest::newRow("decimal comma in y")
        << QByteArray("x;y\n1;2,5\n") << 2 << 2 << "use '.'" << dflt << dflt;
    QTest::newRow("decimal comma, quoted")
        << QByteArray("\"1,5\",2\n") << 1 << 1 << "decimal comma" << dflt << dflt;
    QTest::newRow("decimal comma, tab")
        << QByteArray("1,5\t2\n") << 1 << 1 << "decimal comma" << dflt << dflt;

    // Quotes.
    QTest::newRow("unclosed quote at end of file")
        << QByteArray("1,2\n3,\"4") << 2 << 2 << "unterminated quoted field starting on line 2"
        << dflt << dflt;
    QTest::newRow("quoted field across lines")
        << QByteArray("1,2\n\"3\n\",4\n") << 2 << 1
        << "unterminated quoted field starting on line 2" << dflt << dflt;
    QTest::newRow("unclosed quote in header")
        << QByteArray("\"x,y\n1,2\n") << 1 << 1 << "unterminated quoted field" << dflt << dflt;
    QTest::newRow("quote inside a field")
        << QByteArray("1,2\"3\n") << 1 << 2 << "inside an unquoted field" << dflt << dflt;
    QTest::newRow("text after closing quote")
        << QByteArray("\"1\"x,2\n") << 1 << 1 << "after the closing quote" << dflt << dflt;

    // Encoding.
    QTest::newRow("NUL byte") << QByteArray("1,2\n3,\0\n", 8) << 2 << 2 << "NUL byte" << dflt
                              << dflt;
    QTest::newRow("NUL byte in quotes")
        << QByteArray("\"1\0\",2\n", 7) << 1 << 1 << "NUL byte" << dflt << dflt;
    QTest::newRow("NUL-only line") << QByteArray("1,2\n\0\n", 6) << 2 << 1 << "NUL byte" << dflt
                                   << dflt;
    QTest::newRow("invalid UTF-8 in header")
        << QByteArray("x\xFF,y\n1,2\n") << 1 << 1 << "invalid UTF-8" << dflt << dflt;
    QTest::newRow("Latin-1 in data")
        << QByteArray("1,2\n3,4\xE9\n") << 2 << 2 << "invalid UTF-8 (byte 0xE9 at byte 4"
        << dflt << dflt;
    QTest::newRow("overlong NUL") << QByteArray("x,y\xC0\x80\n1,2\n") << 1 << 2
                                  << "invalid UTF-8" << dflt << dflt;
    QTest::newRow("surrogate") << QByteArray("x,y\xED\xA0\x80\n1,2\n") << 1 << 2
                               << "invalid UTF-8" << dflt << dflt;
    QTest::newRow("above U+10FFFF") << QByteArray("x,y\xF4\x90\x80\x80\n1,2\n") << 1 << 2
                                    << "invalid UTF-8" << dflt << dflt;
    QTest::newRow("truncated sequence at end of line")
        << QByteArray("x,y\xE2\x82\n1,2\n") << 1 << 2 << "invalid UTF-8" << dflt << dflt;
    QTest::newRow("truncated sequence at end of file")
        << QByteArray("x,y\n1,2\xE2\x82") << 2 << 2 << "invalid UTF-8" << dflt << dflt;
    QTest::newRow("UTF-16") << QByteArray("\xFF\xFEx\0,\0y\0\n\0", 10) << 1 << 0 << "UTF-16"
                            << dflt << dflt;
    QTest::newRow("BOM after the start")
        << QByteArray("1,2\n\xEF\xBB\xBF"
                      "3,4\n")
        << 2 << 1 << "'\\uFEFF3' starts with a byte order mark" << dflt << dflt;

    // Line numbers count every kind of line end once, CRLF included.
    QTest::newRow("line number, CRLF")
        << QByteArray("1,2\r\n3,4\r\nbad,1\r\n") << 3 << 1 << "'bad'" << dflt << dflt;
    QTest::newRow("line number, CR") << QByteArray("1,2\r3,4\rbad,1\r") << 3 << 1 << "'bad'"
                                     << dflt << dflt;
    QTest::newRow("line number, mixed")
        << QByteArray("\n\r\n\r1,x") << 4 << 2 << "'x'" << dflt << dflt;
    QTest::newRow("line number, LF then CR")
        << QByteArray("1,2\n\r3,x") << 3 << 2 << "'x'" << dflt << dflt;

    // Limits.
    QTest::newRow("line too long")
        << (QByteArray("1,2\n") + QByteArray(100, '1') + "\n") << 2 << 0
        << "line longer than 50 bytes" << dflt << qulonglong(50);
    QTest::newRow("last line too long")
        << (QByteArray("1,2\n") + QByteArray(100, '1')) << 2 << 0 << "line longer than 50 bytes"
        << dflt << qulonglong(50);
    QTest::newRow("too many rows") << QByteArray("1,2\n3,4\n5,6\n") << 3 << 0
                                   << "more than 2 data rows" << qulonglong(2) << dflt;
    QTest::newRow("too many rows, header and blanks")
        << QByteArray("x,y\n\n1,2\n3,4\n\n5,6") << 6 << 0 << "more than 2 data rows"
        << qulonglong(2) << dflt;

    // Nothing to load.
    QTest::newRow("empty") << QByteArray() << 0 << 0 << "no data rows" << dflt << dflt;
    QTest::newRow("blank lines only")
        << QByteArray("\n \r\n\t\r") << 0 << 0 << "no data rows" << dflt << dflt;
    QTest::newRow("header only") << QByteArray("x,y\n") << 0 << 0 << "no data rows" << dflt
                                 << dflt;
    QTest::newRow("BOM only") << QByteArray("\xEF\xBB\xBF") << 0 << 0 << "no data rows" << dflt
                              << dflt;
}

void TestCsv::refused()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, phrase);
    QFETCH(qulonglong, maxRows);
    QFETCH(qulonglong, maxLineBytes);

    CsvLimits limits;
    if (maxRows)
        limits.maxRows = maxRows;
    if (maxLineBytes)
        limits.maxLineBytes = maxLineBytes;

    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!parseCsv(view(text), "input.csv", out, err, limits));
    QVERIFY2(isPrevious(out), "a failed parse must leave the dataset untouched");
    QCOMPARE(err.file, std::string("input.csv"));
    QCOMPARE(err.line, std::size_t(line));
    QCOMPARE(err.column, std::size_t(column));
    QVERIFY2(qs(err.message).contains(phrase), err.message.c_str());

    for (std::size_t step : {1, 2, 3, 7, 64}) {
        const Outcome o = parseInPieces(text, step, limits);
        QVERIFY(!o.ok);
        QCOMPARE(o.err.line, err.line);
        QCOMPARE(o.err.column, err.column);
        QCOMPARE(qs(o.err.message), qs(err.message));
    }
}

void TestCsv::longTextIsTruncatedInMessages()
{
    const QByteArray text = "1," + QByteArray(500, 'a') + "\n";
    Dataset out;
    CsvError err;
    QVERIFY(!parseCsv(view(text), "t", out, err));
    QVERIFY2(qs(err.message).contains("'" + QString(40, 'a') + "...'"), err.message.c_str());
    QVERIFY(err.message.size() < 80);

    // Control characters stay readable, and a cut never splits a UTF-8 sequence.
    const QByteArray control = "1,a\x01\x1B" + QByteArray("\xC3\xA9").repeated(30) + "\n";
    QVERIFY(!parseCsv(view(control), "t", out, err));
    QVERIFY2(qs(err.message).contains("'a\\x01\\x1B\xC3\xA9"), err.message.c_str());
    QVERIFY2(qs(err.message).contains("\xC3\xA9...'"), err.message.c_str());
}

// Line ends are found eight bytes at a time: one at each position of such a word, and near the
// end of a piece, still ends its line exactly there.
void TestCsv::lineEndsAtEveryOffset()
{
    for (const char *end : {"\n", "\r", "\r\n"}) {
        for (int width = 0; width < 24; ++width) {
            const QByteArray digits = QByteArray(width, '7') + '5';
            const QByteArray first = "1," + digits;
            const QByteArray text = first + end + "8,9" + end + "x,1" + end;
            const QString name = end[0] == '\n' ? "LF" : end[1] == '\n' ? "CRLF" : "CR";
            const QString label = QStringLiteral("%1 after %2 bytes").arg(name).arg(first.size());
            Dataset out;
            CsvError err;
            QVERIFY2(!parseCsv(view(text), "t", out, err), qPrintable(label));
            QVERIFY2(err.line == 3 && err.column == 1, qPrintable(label + ": " + qs(err.toString())));
            const QByteArray good = text.left(text.size() - 3 - int(std::strlen(end)));
            QVERIFY2(parseCsv(view(good), "t", out, err), qPrintable(label));
            QCOMPARE(out.size(), std::size_t(2));
            QCOMPARE(out.y[0], digits.toDouble());
            for (std::size_t step : {1, 5, 8, 9}) {
                const Outcome o = parseInPieces(good, step, {});
                QVERIFY2(o.ok, qPrintable(label));
                QCOMPARE(o.data.y, out.y);
            }
        }
    }
}

void TestCsv::lineLimitIsInclusive()
{
    CsvLimits limits;
    limits.maxLineBytes = 9;
    Dataset out;
    CsvError err;
    QVERIFY2(parseCsv("1.2345,67\r\n8,9", "t", out, err, limits), err.toString().c_str());
    QCOMPARE(out.size(), std::size_t(2));
    QVERIFY(!parseCsv("1.2345,678\n", "t", out, err, limits));
    QCOMPARE(qs(err.message), QString("line longer than 9 bytes; is this really a CSV file of "
                                      "numeric rows?"));
}

void TestCsv::parseNumberCases_data()
{
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("phrase"); // part of `why` when refused

    const auto good = [](const char *name, const QByteArray &field, double value) {
        QTest::newRow(name) << field << true << value << QString();
    };
    const auto bad = [](const char *name, const QByteArray &field, const char *phrase) {
        QTest::newRow(name) << field << false << 0.0 << QString(phrase);
    };
    good("zero", "0", 0.0);
    good("integer", "42", 42.0);
    good("plus", "+1", 1.0);
    good("negative", "-2.5", -2.5);
    good("leading point", ".5", 0.5);
    good("trailing point", "5.", 5.0);
    good("negative leading point", "-.25", -0.25);
    good("leading zeros", "00012", 12.0);
    good("exponent", "1e-3", 1e-3);
    good("signed exponent", "-2.5E+02", -250.0);
    good("point and exponent", "5.e3", 5000.0);
    good("one tenth", "0.1", 0.1);
    good("many digits", "123456789012345678901234567890", 1.2345678901234568e29);
    good("largest", "1.7976931348623157e308", DBL_MAX);
    good("smallest subnormal", "4.9e-324", std::numeric_limits<double>::denorm_min());
    good("underflow to zero", "1e-400", 0.0);
    good("tiny with long exponent", "1e-99999999999999999999", 0.0);
    good("zero with huge exponent", "0e99999", 0.0);

    bad("empty", "", "empty cell");
    bad("nan", "nan", "non-finite");
    bad("NaN", "NaN", "non-finite");
    bad("-inf", "-inf", "non-finite");
    bad("+Infinity", "+Infinity", "non-finite");
    bad("INF", "INF", "non-finite");
    bad("nan payload", "nan(123)", "non-finite");
    bad("hex", "0x1A", "hexadecimal");
    bad("hex float", "-0X1p3", "hexadecimal");
    bad("overflow", "1e400", "out of range");
    bad("negative overflow", "-1e400", "out of range");
    bad("long overflow", "1" + QByteArray(400, '0'), "out of range");
    bad("huge exponent", "1e99999999999999999999", "out of range");
    bad("decimal comma", "1,5", "decimal comma");
    bad("decimal comma, exponent", "-1,5e3", "'-1.5e3'");
    bad("thousands separators", "1,000,000", "not a number");
    bad("trailing comma", "1,", "not a number: '1,'");
    bad("leading comma", ",5", "not a number");
    bad("trailing garbage", "1.5abc", "not a number: '1.5abc'");
    bad("leading space", " 1", "not a number");
    bad("trailing space", "1 ", "not a number");
    bad("exponent only", "e5", "not a number");
    bad("point only", ".", "not a number");
    bad("sign only", "-", "not a number");
    bad("plus only", "+", "not a number");
    bad("empty exponent", "1e", "not a number");
    bad("signed empty exponent", "1e+", "not a number");
    bad("double sign", "+-1", "not a number");
    bad("two points", "1.2.3", "not a number");
    bad("underscore", "1_000", "not a number");
    bad("Fortran exponent", "1d5", "not a number");
    bad("Arabic-Indic digit", "\xD9\xA1", "not a number");
    bad("invalid UTF-8 shown escaped", "1\xFF", "'1\\xFF'");
}

void TestCsv::parseNumberCases()
{
    QFETCH(QByteArray, field);
    QFETCH(bool, ok);
    QFETCH(double, value);
    QFETCH(QString, phrase);

    double out = 99.0;
    std::string why;
    QCOMPARE(parseNumber(view(field), out, why), ok);
    if (ok) {
        QCOMPARE(bitsOf(out), bitsOf(value));
        QVERIFY(why.empty());
    } else {
        QCOMPARE(out, 99.0); // untouched
        QVERIFY2(qs(why).contains(phrase), why.c_str());
    }
}

void TestCsv::errorToString()
{
    QCOMPARE(qs(CsvError{"a.csv", 3, 2, "bad"}.toString()), QString("a.csv:3:2: bad"));
    QCOMPARE(qs(CsvError{"a.csv", 3, 0, "bad"}.toString()), QString("a.csv:3: bad"));
    QCOMPARE(qs(CsvError{"a.csv", 0, 0, "bad"}.toString()), QString("a.csv: bad"));
    QCOMPARE(qs(CsvError{"", 0, 0, "bad"}.toString()), QString("bad"));

    double negativeZero = 1.0;
    std::string why;
    QVERIFY(parseNumber("-0", negativeZero, why));
    QVERIFY(std::signbit(negativeZero));
}

// ---------------------------------------------------------------------------------------------
// Columns

void TestCsv::selectedColumns_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Names>("inputs");  // the selection
    QTest::addColumn<Names>("targets");
    QTest::addColumn<QList<int>>("inputColumns"); // 1-based columns expected, in order
    QTest::addColumn<QList<int>>("targetColumns");
    QTest::addColumn<Names>("inputNames");
    QTest::addColumn<Names>("targetNames");
    using Columns = QList<int>;

    QTest::newRow("by names") << kFourColumns << Names{"a", "c"} << Names{"d"} << Columns{1, 3}
                              << Columns{4} << Names{"a", "c"} << Names{"d"};
    QTest::newRow("by numbers") << kFourColumns << Names{"1", "3"} << Names{"4"}
                                << Columns{1, 3} << Columns{4} << Names{"a", "c"} << Names{"d"};
    QTest::newRow("mixed, in the order asked, padded")
        << kFourColumns << Names{" c ", "1"} << Names{"4"} << Columns{3, 1} << Columns{4}
        << Names{"c", "a"} << Names{"d"};
    QTest::newRow("targets only: the rest are inputs")
        << kFourColumns << Names{} << Names{"b"} << Columns{1, 3, 4} << Columns{2}
        << Names{"a", "c", "d"} << Names{"b"};
    QTest::newRow("inputs only: the rest are targets")
        << kFourColumns << Names{"b"} << Names{} << Columns{2} << Columns{1, 3, 4} << Names{"b"}
        << Names{"a", "c", "d"};
    QTest::newRow("two targets, reordered")
        << kFourColumns << Names{"a"} << Names{"d", "b"} << Columns{1} << Columns{4, 2}
        << Names{"a"} << Names{"d", "b"};
    QTest::newRow("no header, by numbers")
        << QByteArray("11;12;13;14\r\n21;22;23;24\r\n") << Names{"2"} << Names{"4", "1"}
        << Columns{2} << Columns{4, 1} << Names{} << Names{};
    QTest::newRow("quoted names with a delimiter and a quote")
        << QByteArray("\"a,1\",\"say \"\"b\"\"\",c\n11,12,13\n") << Names{"say \"b\""}
        << Names{"a,1"} << Columns{2} << Columns{1} << Names{"say \"b\""} << Names{"a,1"};
    QTest::newRow("two columns, swapped")
        << QByteArray("x,y\n11,12\n21,22\n") << Names{"y"} << Names{"x"} << Columns{2}
        << Columns{1} << Names{"y"} << Names{"x"};
}

void TestCsv::selectedColumns()
{
    QFETCH(QByteArray, text);
    QFETCH(Names, inputs);
    QFETCH(Names, targets);
    QFETCH(QList<int>, inputColumns);
    QFETCH(QList<int>, targetColumns);
    QFETCH(Names, inputNames);
    QFETCH(Names, targetNames);

    const CsvColumns columns{entries(inputs), entries(targets)};
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY2(parseCsv(view(text), "four.csv", out, err, {}, columns), err.toString().c_str());
    QVERIFY(out.shapeValid());
    QCOMPARE(out.inputDims, int(inputColumns.size()));
    QCOMPARE(out.targetDims, int(targetColumns.size()));
    QCOMPARE(namesOf(out.inputNames), inputNames);
    QCOMPARE(namesOf(out.targetNames), targetNames);
    QVERIFY(out.size() >= 1);
    // Each value is 10 * row + column, so every one shows where it came from.
    for (std::size_t row = 0; row < out.size(); ++row) {
        for (int c = 0; c < out.inputDims; ++c)
            QCOMPARE(out.input(row, c), double(10 * (row + 1) + inputColumns[c]));
        for (int c = 0; c < out.targetDims; ++c)
            QCOMPARE(out.target(row, c), double(10 * (row + 1) + targetColumns[c]));
    }
    for (std::size_t step : {1, 3, 8}) {
        Outcome o;
        CsvStreamParser parser("pieces", {}, 0, columns);
        for (std::size_t pos = 0; pos < std::size_t(text.size()); pos += step)
            QVERIFY(parser.feed(view(text).substr(pos, step)));
        QVERIFY(parser.finish());
        parser.moveInto(o.data);
        QCOMPARE(o.data.x, out.x);
        QCOMPARE(o.data.y, out.y);
        QCOMPARE(o.data.inputNames, out.inputNames);
        QCOMPARE(o.data.targetNames, out.targetNames);
    }
}

void TestCsv::defaultColumnsForMoreThanTwo()
{
    // With a header: every column but the last is an input, the last is the target.
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY2(parseCsv(view(kFourColumns), "four.csv", out, err), err.toString().c_str());
    QCOMPARE(out.inputDims, 3);
    QCOMPARE(out.targetDims, 1);
    QCOMPARE(out.x, (std::vector<double>{11, 12, 13, 21, 22, 23, 31, 32, 33}));
    QCOMPARE(out.y, (std::vector<double>{14, 24, 34}));
    QCOMPARE(namesOf(out.inputNames), (Names{"a", "b", "c"}));
    QCOMPARE(namesOf(out.targetNames), Names{"d"});

    // Without: the same columns, no names (the dataset's own x1, x2... then).
    out = previousDataset();
    QVERIFY2(parseCsv("1,2,3\n4,5,6\n", "three.csv", out, err), err.toString().c_str());
    QCOMPARE(out.inputDims, 2);
    QCOMPARE(out.targetDims, 1);
    QCOMPARE(out.x, (std::vector<double>{1, 2, 4, 5}));
    QCOMPARE(out.y, (std::vector<double>{3, 6}));
    QVERIFY(out.inputNames.empty() && out.targetNames.empty());
    QCOMPARE(qs(out.inputName(1)), QString("x2"));
    QCOMPARE(qs(out.targetName(0)), QString("y"));

    // As many columns as the limit allows.
    const QByteArray wide = QByteArray("1") + QByteArray(",1").repeated(63) + "\n";
    QVERIFY2(parseCsv(view(wide), "wide.csv", out, err), err.toString().c_str());
    QCOMPARE(out.inputDims, 63);
    QCOMPARE(out.targetDims, 1);
}

// A two-column file loads as it always has: one input, one target, the values bit for bit; the
// header's names are kept, a headerless file has none.
void TestCsv::twoColumnFileAsBefore()
{
    const QByteArray text = "x,y\r\n0.1,-2.5e-3\r\n\"7\",8\r\n-0,1e-400\r\n";
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY2(parseCsv(view(text), "two.csv", out, err), err.toString().c_str());
    QCOMPARE(out.inputDims, 1);
    QCOMPARE(out.targetDims, 1);
    QCOMPARE(out.size(), std::size_t(3));
    const double xs[] = {0.1, 7, -0.0}, ys[] = {-2.5e-3, 8, 0.0};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(bitsOf(out.x[i]), bitsOf(xs[i]));
        QCOMPARE(bitsOf(out.y[i]), bitsOf(ys[i]));
    }
    QCOMPARE(namesOf(out.inputNames), Names{"x"});
    QCOMPARE(namesOf(out.targetNames), Names{"y"});

    // An explicit selection of the default gives the same.
    Dataset selected;
    QVERIFY2(parseCsv(view(text), "two.csv", selected, err, {}, CsvColumns{{"x"}, {"2"}}),
             err.toString().c_str());
    QCOMPARE(selected.x, out.x);
    QCOMPARE(selected.y, out.y);

    out = previousDataset();
    QVERIFY2(parseCsv("1,2\n", "two.csv", out, err), err.toString().c_str());
    QVERIFY(out.inputNames.empty() && out.targetNames.empty());
    QCOMPARE(qs(out.inputName(0)) + qs(out.targetName(0)), QString("xy"));
}

void TestCsv::refusedSelection_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Names>("inputs");
    QTest::addColumn<Names>("targets");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QStringList>("phrases");

    QTest::newRow("unknown name")
        << kFourColumns << Names{"a", "e"} << Names{} << 0 << 0
        << QStringList{"no column 'e' (asked for the inputs)",
                       "the columns are 'a', 'b', 'c', 'd' (or their numbers, 1 to 4)"};
    QTest::newRow("unknown target name")
        << kFourColumns << Names{"a"} << Names{"D"} << 0 << 0
        << QStringList{"no column 'D' (asked for the targets)", "'a', 'b', 'c', 'd'"};
    QTest::newRow("number too large")
        << kFourColumns << Names{"5"} << Names{} << 0 << 0
        << QStringList{"no column 5 (asked for the inputs)", "1 to 4"};
    QTest::newRow("number zero") << kFourColumns << Names{} << Names{"0"} << 0 << 0
                                 << QStringList{"no column 0"};
    QTest::newRow("empty entry") << kFourColumns << Names{""} << Names{} << 0 << 0
                                 << QStringList{"no column ''"};
    QTest::newRow("name without a header")
        << QByteArray("1,2,3\n") << Names{"a"} << Names{} << 0 << 0
        << QStringList{
               "no column 'a'",
               "the file has no header line, so its 3 columns are chosen by number, 1 to 3"};
    QTest::newRow("same column in both lists")
        << kFourColumns << Names{"a", "b"} << Names{"1"} << 0 << 0
        << QStringList{"'a' (column 1) is selected both as an input and as a target"};
    QTest::newRow("same column twice")
        << kFourColumns << Names{"b", "2"} << Names{"d"} << 0 << 0
        << QStringList{"'b' (column 2) is selected twice as an input"};
    QTest::newRow("same column twice, no header")
        << QByteArray("1,2,3\n") << Names{"1"} << Names{"3", "3"} << 0 << 0
        << QStringList{"column 3 is selected twice as a target"};
    QTest::newRow("nothing left for the targets")
        << kFourColumns << Names{"a", "b", "c", "d"} << Names{} << 0 << 0
        << QStringList{"no column is left for the targets: the inputs take all 4 columns"};
    QTest::newRow("ambiguous name")
        << QByteArray("a,b,a\n1,2,3\n") << Names{"a"} << Names{"b"} << 0 << 0
        << QStringList{"'a' (asked for the inputs) is ambiguous: columns 1 and 3",
                       "choose the column by its number"};
    // Columns left out must still hold numbers: a broken row is not silently half-used.
    QTest::newRow("text in an unused column")
        << kFourColumns + "41,42,n/a,44\n" << Names{"a"} << Names{"d"} << 5 << 3
        << QStringList{"not a number: 'n/a'"};
    QTest::newRow("empty unused column")
        << QByteArray("a,b,c\n1,,3\n") << Names{"a"} << Names{"c"} << 2 << 2
        << QStringList{"empty cell"};
}

void TestCsv::refusedSelection()
{
    QFETCH(QByteArray, text);
    QFETCH(Names, inputs);
    QFETCH(Names, targets);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QStringList, phrases);

    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!parseCsv(view(text), "four.csv", out, err, {},
                      CsvColumns{entries(inputs), entries(targets)}));
    QVERIFY(isPrevious(out));
    QCOMPARE(err.file, std::string("four.csv"));
    QCOMPARE(err.line, std::size_t(line));
    QCOMPARE(err.column, std::size_t(column));
    for (const QString &phrase : phrases)
        QVERIFY2(qs(err.message).contains(phrase), err.message.c_str());
    QVERIFY2(qs(err.toString()).startsWith("four.csv:"), err.toString().c_str());
}

void TestCsv::readWithSelection()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("four.csv");
    QByteArray text = "time,speed,load,power\n";
    for (int i = 0; i < 100000; ++i) // several chunks
        text += QByteArray::number(i) + "," + QByteArray::number(i * 0.5) + ",1," +
                QByteArray::number(-i) + "\n";
    QVERIFY(writeFile(path, text));

    Dataset out = previousDataset();
    CsvError err;
    QVERIFY2(readCsv(path.toStdString(), out, err, {}, nullptr, nullptr,
                     CsvColumns{{"speed", "time"}, {"power"}}),
             err.toString().c_str());
    QCOMPARE(out.name, std::string("four.csv"));
    QCOMPARE(out.size(), std::size_t(100000));
    QCOMPARE(out.inputDims, 2);
    QCOMPARE(namesOf(out.inputNames), (Names{"speed", "time"}));
    QCOMPARE(namesOf(out.targetNames), Names{"power"});
    QCOMPARE(out.input(99999, 0), 99999 * 0.5);
    QCOMPARE(out.input(99999, 1), 99999.0);
    QCOMPARE(out.target(99999, 0), -99999.0);
    // The memory reserved from the estimate is not far above what the points need.
    QVERIFY(out.x.capacity() <= out.x.size() + out.x.size() / 4 + 1024);

    out = previousDataset();
    QVERIFY(!readCsv(path.toStdString(), out, err, {}, nullptr, nullptr,
                     CsvColumns{{"speed"}, {"watts"}}));
    QVERIFY(isPrevious(out));
    QCOMPARE(err.file, path.toStdString());
    QVERIFY2(qs(err.message).contains("no column 'watts' (asked for the targets); the columns are "
                                      "'time', 'speed', 'load', 'power'"),
             err.message.c_str());
}

void TestCsv::headerNames_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<Names>("names");
    QTest::newRow("header") << kFourColumns << Names{"a", "b", "c", "d"};
    QTest::newRow("no header") << QByteArray("1,2,3,4\n5,6,7,8\n") << Names{"1", "2", "3", "4"};
    QTest::newRow("blank lines, BOM, CRLF, semicolons")
        << QByteArray("\xEF\xBB\xBF\r\n  \r\nspeed ; power\r\n1;2\r\n") << Names{"speed", "power"};
    QTest::newRow("quoted names")
        << QByteArray("\"a,b\",\"say \"\"hi\"\"\",\" c \"\n1,2,3\n")
        << Names{"a,b", "say \"hi\"", "c"};
    QTest::newRow("only a header, no line end") << QByteArray("x\ty") << Names{"x", "y"};
    QTest::newRow("one data row ending in CR") << QByteArray("1,2\r") << Names{"1", "2"};
    QTest::newRow("UTF-8 names") << QByteArray("température,\xE2\x82\xAC\n1,2\n")
                                 << Names{"température", "\xE2\x82\xAC"};
    // Only the first line counts: what follows is not looked at.
    QTest::newRow("broken rows later") << QByteArray("a,b\n1,2,3\nnan,x\n\xFF") << Names{"a", "b"};
    QTest::newRow("first line is data with a bad value")
        << QByteArray("1,abc\n") << Names{"1", "2"};
}

void TestCsv::headerNames()
{
    QFETCH(QByteArray, text);
    QFETCH(Names, names);
    QTemporaryDir dir;
    const QString path = dir.filePath("h.csv");
    QVERIFY(writeFile(path, text));
    std::vector<std::string> got{"stale"};
    CsvError err;
    QVERIFY2(readCsvHeader(path.toStdString(), got, err), err.toString().c_str());
    QCOMPARE(namesOf(got), names);
}

void TestCsv::headerNamesRefused_data()
{
    QTest::addColumn<QByteArray>("text"); // empty with the name "missing": no file at all
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("missing file") << QByteArray("missing") << 0 << 0
                                  << qs(std::generic_category().message(ENOENT));
    QTest::newRow("empty") << QByteArray() << 0 << 0 << "no columns: the file is empty";
    QTest::newRow("blank lines") << QByteArray("\n  \r\n\t") << 0 << 0
                                 << "no columns: the file has only blank lines";
    QTest::newRow("one field") << QByteArray("\nx\n1,2\n") << 2 << 2
                               << "expected at least 2 fields";
    QTest::newRow("empty name") << QByteArray("a,,c\n1,2,3\n") << 1 << 2
                                << "empty cell in the header line";
    QTest::newRow("unterminated quote") << QByteArray("\"a,b\n") << 1 << 1
                                        << "unterminated quoted field";
    QTest::newRow("Latin-1") << QByteArray("temp\xE9rature,y\n") << 1 << 1 << "invalid UTF-8";
    QTest::newRow("line too long") << QByteArray(2 << 20, 'a') << 1 << 0 << "line longer than";
}

void TestCsv::headerNamesRefused()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, phrase);
    QTemporaryDir dir;
    const QString path = dir.filePath("h.csv");
    if (text != "missing")
        QVERIFY(writeFile(path, text));
    std::vector<std::string> names;
    CsvError err;
    QVERIFY(!readCsvHeader(path.toStdString(), names, err));
    QCOMPARE(err.file, path.toStdString());
    QCOMPARE(err.line, std::size_t(line));
    QCOMPARE(err.column, std::size_t(column));
    QVERIFY2(qs(err.message).contains(phrase), err.message.c_str());
}

// A large file: the names come back without the rest being read.
void TestCsv::headerNamesReadOnlyTheFirstLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("big.csv");
    QVERIFY(writeFile(path, generatedCsv(400000))); // about 10 MB
    std::vector<std::string> names;
    CsvError err;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 100; ++i)
        QVERIFY2(readCsvHeader(path.toStdString(), names, err), err.toString().c_str());
    QVERIFY2(timer.elapsed() < 1000, "reading the header must not parse the whole file");
    QCOMPARE(namesOf(names), (Names{"x", "y"}));
}

// ---------------------------------------------------------------------------------------------
// Writing

void TestCsv::roundTripIsBitIdentical()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("round trip.csv").toStdString();

    Dataset data;
    data.x = {1e-300, -0.0, 123456789.123456789, 1.0 / 3.0, 0.1, 5e-324, DBL_MAX, -DBL_MIN,
              1e22, 9007199254740993.0, -1.5, 0.0};
    data.y = {-1.0 / 3.0, 2.0 / 3.0, 1e300, -5e-324, 1e-320, 3.141592653589793,
              2.718281828459045, 0.30000000000000004, -0.0, 1.0, 100.0, -DBL_MAX};
    std::string werr;
    QVERIFY2(writeCsv(path, data, werr), werr.c_str());

    const QByteArray written = readFile(qs(path));
    QVERIFY(written.startsWith("x,y\n1e-300,"));
    QVERIFY(written.endsWith("\n"));
    QCOMPARE(written.count('\n'), qsizetype(data.size() + 1));

    Dataset back;
    CsvError err;
    QVERIFY2(readCsv(path, back, err), err.toString().c_str());
    QCOMPARE(back.name, std::string("round trip.csv"));
    QCOMPARE(back.size(), data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        QCOMPARE(bitsOf(back.x[i]), bitsOf(data.x[i]));
        QCOMPARE(bitsOf(back.y[i]), bitsOf(data.y[i]));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary
}

// Three inputs and two targets, with names the header must quote: written, read back with the
// default selection for the inputs (every column the targets do not take), bit for bit.
void TestCsv::roundTripWithNames()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath("named.csv").toStdString();

    Dataset data;
    data.inputDims = 3;
    data.targetDims = 2;
    data.inputNames = {"speed, m/s", "say \"hi\"", "température"};
    data.targetNames = {"a;b", "tab\there"};
    const double values[] = {1e-300, -0.0, 123456789.123456789, 1.0 / 3.0, 0.1, 5e-324, DBL_MAX,
                             -DBL_MIN, 1e22, 9007199254740993.0, -1.5, 0.0, 2.0 / 3.0, 1e300,
                             3.141592653589793};
    for (std::size_t i = 0; i < 3; ++i)
        data.addPoint(&values[5 * i], &values[5 * i + 3]);
    QVERIFY(data.shapeValid());
    std::string werr;
    QVERIFY2(writeCsv(path, data, werr), werr.c_str());

    const QByteArray written = readFile(qs(path));
    QVERIFY2(written.startsWith("\"speed, m/s\",\"say \"\"hi\"\"\",température,\"a;b\","
                                "\"tab\there\"\n1e-300,-0,123456789.12345679,0.3333333333333333,"
                                "0.1\n"),
             written.constData());
    QCOMPARE(written.count('\n'), qsizetype(data.size() + 1));

    Dataset back = previousDataset();
    CsvError err;
    QVERIFY2(readCsv(path, back, err, {}, nullptr, nullptr, CsvColumns{{}, {"a;b", "tab\there"}}),
             err.toString().c_str());
    QCOMPARE(back.inputDims, 3);
    QCOMPARE(back.targetDims, 2);
    QCOMPARE(back.inputNames, data.inputNames);
    QCOMPARE(back.targetNames, data.targetNames);
    QCOMPARE(back.x.size(), data.x.size());
    QCOMPARE(back.y.size(), data.y.size());
    for (std::size_t i = 0; i < data.x.size(); ++i)
        QCOMPARE(bitsOf(back.x[i]), bitsOf(data.x[i]));
    for (std::size_t i = 0; i < data.y.size(); ++i)
        QCOMPARE(bitsOf(back.y[i]), bitsOf(data.y[i]));

    // The names are what readCsvHeader lists, too.
    std::vector<std::string> names;
    QVERIFY2(readCsvHeader(path, names, err), err.toString().c_str());
    QCOMPARE(namesOf(names),
             (Names{"speed, m/s", "say \"hi\"", "température", "a;b", "tab\there"}));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // no temporary
}

void TestCsv::writeHeader_data()
{
    QTest::addColumn<int>("inputDims");
    QTest::addColumn<int>("targetDims");
    QTest::addColumn<Names>("inputNames");
    QTest::addColumn<Names>("targetNames");
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("unnamed, one-dimensional") << 1 << 1 << Names{} << Names{} << QByteArray("x,y");
    QTest::newRow("unnamed, 2 inputs") << 2 << 1 << Names{} << Names{} << QByteArray("x1,x2,y");
    QTest::newRow("unnamed, 2 targets") << 1 << 2 << Names{} << Names{} << QByteArray("x,y1,y2");
    QTest::newRow("named") << 1 << 1 << Names{"time"} << Names{"power"}
                           << QByteArray("time,power");
    QTest::newRow("one name empty: the dataset's own")
        << 2 << 1 << Names{"", "b"} << Names{"c"} << QByteArray("x1,b,c");
    QTest::newRow("inner spaces stay unquoted")
        << 1 << 1 << Names{"wind speed"} << Names{"y"} << QByteArray("wind speed,y");
    QTest::newRow("delimiters and quotes are quoted")
        << 2 << 1 << Names{"a,b", "c;d"} << Names{"\"e\""}
        << QByteArray("\"a,b\",\"c;d\",\"\"\"e\"\"\"");
    QTest::newRow("a leading byte order mark is quoted")
        << 1 << 1 << Names{QString(QChar(0xFEFF)) + "x"} << Names{"y"}
        << QByteArray("\"\xEF\xBB\xBFx\",y");
}

void TestCsv::writeHeader()
{
    QFETCH(int, inputDims);
    QFETCH(int, targetDims);
    QFETCH(Names, inputNames);
    QFETCH(Names, targetNames);
    QFETCH(QByteArray, header);

    Dataset data;
    data.inputDims = inputDims;
    data.targetDims = targetDims;
    data.inputNames = entries(inputNames);
    data.targetNames = entries(targetNames);
    const std::vector<double> in(std::size_t(inputDims), 1.5), out(std::size_t(targetDims), -2.0);
    data.addPoint(in.data(), out.data());
    QTemporaryDir dir;
    const std::string path = dir.filePath("h.csv").toStdString();
    std::string werr;
    QVERIFY2(writeCsv(path, data, werr), werr.c_str());
    const QByteArray row = QByteArray("1.5,").repeated(inputDims) +
                           QByteArray("-2,").repeated(targetDims);
    QCOMPARE(readFile(qs(path)), header + "\n" + row.chopped(1) + "\n");

    // Read back, the header gives the names the writer used.
    Dataset back;
    CsvError err;
    QVERIFY2(readCsv(path, back, err, {}, nullptr, nullptr,
                     CsvColumns{{}, {std::to_string(inputDims + 1)}}),
             err.toString().c_str());
    if (targetDims == 1) {
        QCOMPARE(back.inputDims, inputDims);
        for (int c = 0; c < inputDims; ++c)
            QCOMPARE(qs(back.inputName(c)), qs(data.inputName(c)));
        QCOMPARE(qs(back.targetName(0)), qs(data.targetName(0)));
    }
}

void TestCsv::writeRefusesShapesAndNames_data()
{
    QTest::addColumn<int>("inputDims");
    QTest::addColumn<int>("targetDims");
    QTest::addColumn<int>("xValues");
    QTest::addColumn<int>("yValues");
    QTest::addColumn<Names>("inputNames");
    QTest::addColumn<Names>("targetNames");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("no targets") << 1 << 0 << 2 << 0 << Names{} << Names{}
                                << "1 input and 0 target columns; it needs at least one of each";
    QTest::newRow("part of a point") << 2 << 1 << 3 << 1 << Names{} << Names{}
                                     << "x has 3 values, not a whole number of points of 2 inputs";
    QTest::newRow("targets short")
        << 2 << 2 << 4 << 3 << Names{} << Names{}
        << "x holds 2 points of 2 inputs but y has 3 values for 2 targets";
    QTest::newRow("names short") << 2 << 1 << 2 << 1 << Names{"a"} << Names{}
                                 << "1 input name for 2 input columns";
    QTest::newRow("target names long") << 1 << 1 << 1 << 1 << Names{} << Names{"a", "b"}
                                       << "2 target names for 1 target column";
    QTest::newRow("number-like name") << 1 << 1 << 1 << 1 << Names{"2"} << Names{}
                                      << "the name '2' of input 1 looks like a number";
    QTest::newRow("non-finite name") << 1 << 1 << 1 << 1 << Names{} << Names{"nan"}
                                     << "the name 'nan' of target 1 looks like a number";
    QTest::newRow("line break") << 2 << 1 << 2 << 1 << Names{"a", "b\nc"} << Names{}
                                << "the name 'b\\x0Ac' of input 2 holds a line break";
    QTest::newRow("padded") << 1 << 1 << 1 << 1 << Names{" a"} << Names{}
                            << "begins or ends with a space or a tab";
    QTest::newRow("blank") << 1 << 1 << 1 << 1 << Names{} << Names{"  "} << "is blank";
    // The name is set below: a QString cannot hold invalid UTF-8.
    QTest::newRow("invalid UTF-8") << 1 << 1 << 1 << 1 << Names{} << Names{"?"}
                                   << "is not valid UTF-8";
}

void TestCsv::writeRefusesShapesAndNames()
{
    QFETCH(int, inputDims);
    QFETCH(int, targetDims);
    QFETCH(int, xValues);
    QFETCH(int, yValues);
    QFETCH(Names, inputNames);
    QFETCH(Names, targetNames);
    QFETCH(QString, phrase);

    QTemporaryDir dir;
    const QString path = dir.filePath("keep.csv");
    QVERIFY(writeFile(path, "x,y\n1,2\n"));
    Dataset data;
    data.inputDims = inputDims;
    data.targetDims = targetDims;
    data.x.assign(std::size_t(xValues), 1.0);
    data.y.assign(std::size_t(yValues), 2.0);
    data.inputNames = entries(inputNames);
    data.targetNames = entries(targetNames);
    if (QTest::currentDataTag() == QByteArray("invalid UTF-8"))
        data.targetNames = {"\xE9"};
    std::string err;
    QVERIFY(!writeCsv(path.toStdString(), data, err));
    QVERIFY2(qs(err).startsWith("cannot write '" + path + "': "), err.c_str());
    QVERIFY2(qs(err).contains(phrase), err.c_str());
    WriteError structured;
    QVERIFY(!writeCsv(path.toStdString(), data, structured));
    QCOMPARE(qs(structured.step), QString("check"));
    QCOMPARE(qs(structured.file), path);
    QCOMPARE(qs(structured.toString()), qs(err));
    QCOMPARE(readFile(path), QByteArray("x,y\n1,2\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestCsv::writeRefusesUnwritableData_data()
{
    QTest::addColumn<Values>("xs");
    QTest::addColumn<Values>("ys");
    QTest::addColumn<QString>("phrase");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    QTest::newRow("nan x") << Values{1, nan} << Values{1, 2} << "point 2 has a non-finite";
    QTest::newRow("inf y") << Values{1} << Values{-inf} << "non-finite";
    QTest::newRow("mismatched") << Values{1, 2} << Values{1} << "x has 2 values but y has 1";
    QTest::newRow("empty") << Values{} << Values{} << "empty";
}

void TestCsv::writeRefusesUnwritableData()
{
    QFETCH(Values, xs);
    QFETCH(Values, ys);
    QFETCH(QString, phrase);

    QTemporaryDir dir;
    const QString path = dir.filePath("keep.csv");
    QVERIFY(writeFile(path, "x,y\n1,2\n"));
    Dataset data;
    data.x.assign(xs.begin(), xs.end());
    data.y.assign(ys.begin(), ys.end());
    std::string err;
    QVERIFY(!writeCsv(path.toStdString(), data, err));
    QVERIFY2(qs(err).contains(phrase), err.c_str());
    QVERIFY2(qs(err).contains(path), err.c_str());
    QCOMPARE(readFile(path), QByteArray("x,y\n1,2\n"));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
}

void TestCsv::writeIntoMissingDirectoryFails()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("missing/out.csv").toStdString();
    Dataset data;
    data.x = {1};
    data.y = {2};
    std::string err;
    QVERIFY(!writeCsv(path, data, err));
    QVERIFY2(qs(err).contains(qs(path)), err.c_str());
    QVERIFY2(qs(err).contains(qs(std::generic_category().message(ENOENT))), err.c_str());
}

void TestCsv::writeOverDirectoryFails()
{
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir("target.csv"));
    Dataset data;
    data.x = {1};
    data.y = {2};
    std::string err;
    QVERIFY(!writeCsv(dir.filePath("target.csv").toStdString(), data, err));
    QVERIFY2(qs(err).contains("it is a directory"), err.c_str());
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
             QStringList{"target.csv"});
}

void TestCsv::writeInReadOnlyDirectoryKeepsOldFile()
{
    QTemporaryDir dir;
    const QString sub = dir.filePath("ro");
    QVERIFY(QDir().mkdir(sub));
    const QString path = sub + "/data.csv";
    const QByteArray old = "x,y\n1,2\n3,4\n";
    QVERIFY(writeFile(path, old));
    QVERIFY(::chmod(QFile::encodeName(sub).constData(), 0555) == 0);
    struct Restore { // so QTemporaryDir can clean up whatever happens
        QByteArray dir;
        ~Restore() { ::chmod(dir.constData(), 0755); }
    } restore{QFile::encodeName(sub)};
    if (::access(QFile::encodeName(sub).constData(), W_OK) == 0)
        QSKIP("the directory is still writable (running as root?)");

    Dataset data;
    data.x = {5, 6, 7};
    data.y = {8, 9, 10};
    std::string err;
    QVERIFY(!writeCsv(path.toStdString(), data, err));
    QVERIFY2(qs(err).contains(path), err.c_str());
    QVERIFY2(qs(err).contains(qs(std::generic_category().message(EACCES))), err.c_str());
    QCOMPARE(readFile(path), old);
    QCOMPARE(QDir(sub).entryList(QDir::Files | QDir::Hidden), QStringList{"data.csv"});
}

void TestCsv::writeKeepsPermissions()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("perm.csv");
    QVERIFY(writeFile(path, "old"));
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0640) == 0);
    Dataset data;
    data.x = {1};
    data.y = {2};
    std::string err;
    QVERIFY2(writeCsv(path.toStdString(), data, err), err.c_str());
    struct stat info {};
    QVERIFY(::stat(QFile::encodeName(path).constData(), &info) == 0);
    QCOMPARE(int(info.st_mode & 07777), 0640);
    QCOMPARE(readFile(path), QByteArray("x,y\n1,2\n"));
}

// ---------------------------------------------------------------------------------------------
// Reading files

void TestCsv::readMissingFile()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("nope.csv").toStdString();
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!readCsv(path, out, err));
    QVERIFY(isPrevious(out));
    QCOMPARE(err.file, path);
    QCOMPARE(err.line, std::size_t(0));
    QVERIFY2(qs(err.message).contains(qs(std::generic_category().message(ENOENT))),
             err.message.c_str());
    QVERIFY(qs(err.toString()).startsWith(qs(path) + ": "));
}

void TestCsv::readDirectory()
{
    QTemporaryDir dir;
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!readCsv(dir.path().toStdString(), out, err));
    QVERIFY(isPrevious(out));
    QVERIFY2(qs(err.message).contains("directory", Qt::CaseInsensitive), err.message.c_str());
}

void TestCsv::readSpecialFiles()
{
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!readCsv("/dev/null", out, err));
    QVERIFY2(qs(err.message).contains("not a regular file"), err.message.c_str());
    QVERIFY2(qs(err.message).contains("character device"), err.message.c_str());

    // Opening a FIFO without a writer would block forever; it must be refused instead.
    QTemporaryDir dir;
    const QByteArray fifo = QFile::encodeName(dir.filePath("fifo"));
    QVERIFY(::mkfifo(fifo.constData(), 0600) == 0);
    QVERIFY(!readCsv(fifo.toStdString(), out, err));
    QVERIFY2(qs(err.message).contains("not a regular file"), err.message.c_str());
    QVERIFY(isPrevious(out));
}

void TestCsv::readUnreadableFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("secret.csv");
    QVERIFY(writeFile(path, "1,2\n"));
    QVERIFY(::chmod(QFile::encodeName(path).constData(), 0) == 0);
    if (::access(QFile::encodeName(path).constData(), R_OK) == 0)
        QSKIP("the file is still readable (running as root?)");
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!readCsv(path.toStdString(), out, err));
    QVERIFY(isPrevious(out));
    QVERIFY2(qs(err.message).contains(qs(std::generic_category().message(EACCES))),
             err.message.c_str());
}

void TestCsv::readCancelled()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("big.csv");
    QVERIFY(writeFile(path, generatedCsv(150000))); // several chunks
    Dataset out = previousDataset();
    CsvError err;

    const std::atomic<bool> cancelledBefore{true};
    QVERIFY(!readCsv(path.toStdString(), out, err, {}, nullptr, &cancelledBefore));
    QCOMPARE(qs(err.message), QString("cancelled"));
    QVERIFY(isPrevious(out));

    // Cancelled while reading: the flag is raised from the first progress report.
    std::atomic<bool> cancel{false};
    int calls = 0;
    const auto progress = [&](std::uint64_t, std::uint64_t) {
        ++calls;
        cancel = true;
    };
    err = CsvError();
    QVERIFY(!readCsv(path.toStdString(), out, err, {}, progress, &cancel));
    QCOMPARE(qs(err.message), QString("cancelled"));
    QCOMPARE(calls, 1);
    QVERIFY(isPrevious(out));
}

void TestCsv::readMaxRows()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("rows.csv");
    QVERIFY(writeFile(path, generatedCsv(1000)));
    CsvLimits limits;
    limits.maxRows = 1000;
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY2(readCsv(path.toStdString(), out, err, limits), err.toString().c_str());
    QCOMPARE(out.size(), std::size_t(1000));

    limits.maxRows = 999;
    out = previousDataset();
    QVERIFY(!readCsv(path.toStdString(), out, err, limits));
    QVERIFY(isPrevious(out));
    QCOMPARE(err.line, std::size_t(1001)); // the header is line 1
    QCOMPARE(qs(err.message), QString("more than 999 data rows"));
}

void TestCsv::readHugeLineIsRefusedQuickly()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("huge.csv");
    const QByteArray text = "x,y\n1,2\n" + QByteArray(5 << 20, '7') + "," + "1\n";
    QVERIFY(writeFile(path, text));

    std::uint64_t mostRead = 0;
    const auto progress = [&](std::uint64_t done, std::uint64_t) { mostRead = done; };
    CsvLimits limits;
    limits.maxLineBytes = 1 << 20;
    Dataset out = previousDataset();
    CsvError err;
    QElapsedTimer timer;
    timer.start();
    QVERIFY(!readCsv(path.toStdString(), out, err, limits, progress));
    QVERIFY2(timer.elapsed() < 2000, "a huge line should be refused without reading it all");
    QVERIFY(isPrevious(out));
    QCOMPARE(err.line, std::size_t(3));
    QVERIFY2(qs(err.message).contains("line longer than 1048576 bytes"), err.message.c_str());
    QVERIFY2(mostRead < std::uint64_t(text.size()), "reading must stop at the long line");
}

void TestCsv::readReportsProgressWithTotal()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("progress.csv");
    const QByteArray text = generatedCsv(120000); // about 3 MB: several chunks
    QVERIFY(writeFile(path, text));
    const auto size = std::uint64_t(text.size());

    std::vector<std::uint64_t> done;
    bool totalsRight = true;
    const auto progress = [&](std::uint64_t bytes, std::uint64_t total) {
        done.push_back(bytes);
        totalsRight = totalsRight && total == size;
    };
    Dataset out;
    CsvError err;
    QVERIFY2(readCsv(path.toStdString(), out, err, {}, progress), err.toString().c_str());
    QVERIFY(done.size() >= 3);
    QVERIFY(totalsRight);
    QVERIFY(std::is_sorted(done.begin(), done.end()));
    QCOMPARE(done.back(), size);
    QCOMPARE(out.size(), std::size_t(120000));
}

void TestCsv::readMatchesParse()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("same.csv");
    const QByteArray text = generatedCsv(200000);
    QVERIFY(writeFile(path, text));

    Dataset fromFile, fromText;
    CsvError err;
    QVERIFY2(readCsv(path.toStdString(), fromFile, err), err.toString().c_str());
    QVERIFY2(parseCsv(view(text), "same", fromText, err), err.toString().c_str());
    QCOMPARE(fromFile.name, std::string("same.csv"));
    QCOMPARE(fromFile.x, fromText.x);
    QCOMPARE(fromFile.y, fromText.y);
    QCOMPARE(fromFile.size(), std::size_t(200000));
    QCOMPARE(fromFile.x.back(), 199999.0);
    QCOMPARE(fromFile.y.back(), -199999 / 7.0);
}

void TestCsv::readNoticesTruncation()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("shrinking.csv");
    QVERIFY(writeFile(path, generatedCsv(150000)));
    const QByteArray native = QFile::encodeName(path);
    // Another program cuts the file short while the first chunk is being parsed.
    const auto progress = [&](std::uint64_t, std::uint64_t) { (void)::truncate(native, 100); };
    Dataset out = previousDataset();
    CsvError err;
    QVERIFY(!readCsv(path.toStdString(), out, err, {}, progress));
    QVERIFY(isPrevious(out));
    QVERIFY2(qs(err.message).contains("changed while it was being read"), err.message.c_str());
}

void TestCsv::readReferenceFiles_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("rows"); // 0: refused
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("excel export") << "excel_semicolon_bom_crlf.csv" << 4 << 0 << QString();
    QTest::newRow("tab separated") << "tab_header.tsv" << 3 << 0 << QString();
    QTest::newRow("quoted") << "quoted.csv" << 3 << 0 << QString();
    QTest::newRow("decimal comma") << "decimal_comma.csv" << 0 << 2 << "decimal comma";
    QTest::newRow("Latin-1 header") << "latin1_header.csv" << 0 << 1 << "invalid UTF-8";
}

void TestCsv::readReferenceFiles()
{
    QFETCH(QString, file);
    QFETCH(int, rows);
    QFETCH(int, line);
    QFETCH(QString, phrase);
    Dataset out;
    CsvError err;
    const bool ok = readCsv(csvData(file).toStdString(), out, err);
    if (rows > 0) {
        QVERIFY2(ok, err.toString().c_str());
        QCOMPARE(out.size(), std::size_t(rows));
        QCOMPARE(out.x.front(), 1.5);
        QCOMPARE(out.y.back(), -4e-3);
    } else {
        QVERIFY(!ok);
        QCOMPARE(err.line, std::size_t(line));
        QVERIFY2(qs(err.message).contains(phrase), err.message.c_str());
    }
}

// The hostile seeds of the fuzzing corpus: no crash, and the same outcome however they are split.
void TestCsv::seedsGiveTheSameOutcomeInPieces()
{
    const QStringList seeds = QDir(seedDir()).entryList(QDir::Files);
    QVERIFY2(seeds.size() >= 10, qPrintable(seedDir()));
    for (const QString &seed : seeds) {
        const QByteArray text = readFile(seedDir() + "/" + seed);
        const Outcome whole = parseInPieces(text, std::size_t(text.size()) + 1, {});
        for (std::size_t step : {1, 5}) {
            const Outcome o = parseInPieces(text, step, {});
            QVERIFY2(o.ok == whole.ok, qPrintable(seed));
            QCOMPARE(o.err.line, whole.err.line);
            QCOMPARE(o.err.column, whole.err.column);
            QCOMPARE(qs(o.err.message), qs(whole.err.message));
            QCOMPARE(o.data.x, whole.data.x);
            QCOMPARE(o.data.y, whole.data.y);
        }
    }
}

QTEST_APPLESS_MAIN(TestCsv)
#include "tst_csv.moc"
