#include "svgcompact.h"

#include <QBuffer>
#include <QList>
#include <QRegularExpression>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <memory>
#include <optional>
#include <vector>

namespace mdnviz {

namespace {

struct Node {
    QString name; // empty for text
    QList<std::pair<QString, QString>> attributes;
    QString text;
    std::vector<std::unique_ptr<Node>> children;

    QString attribute(const QString &key) const
    {
        for (const auto &[k, v] : attributes)
            if (k == key)
                return v;
        return QString();
    }
    void setAttribute(const QString &key, const QString &value)
    {
        for (auto &[k, v] : attributes)
            if (k == key) {
                v = value;
                return;
            }
        attributes.append({key, value});
    }
};

std::unique_ptr<Node> parse(const QByteArray &svg)
{
    QXmlStreamReader reader(svg);
    reader.setNamespaceProcessing(false); // xmlns and xlink:href stay plain attributes
    auto root = std::make_unique<Node>();
    std::vector<Node *> stack{root.get()};
    while (!reader.atEnd()) {
        switch (reader.readNext()) {
        case QXmlStreamReader::StartElement: {
            auto node = std::make_unique<Node>();
            node->name = reader.qualifiedName().toString();
            for (const QXmlStreamAttribute &a : reader.attributes())
                node->attributes.append({a.qualifiedName().toString(), a.value().toString()});
            Node *raw = node.get();
            stack.back()->children.push_back(std::move(node));
            stack.push_back(raw);
            break;
        }
        case QXmlStreamReader::EndElement:
            stack.pop_back();
            break;
        case QXmlStreamReader::Characters:
            // Whitespace between elements means nothing; inside <text>, <title> and <desc> it is
            // the content.
            if (!reader.isWhitespace() || stack.back()->name == QLatin1String("text") ||
                stack.back()->name == QLatin1String("title") || stack.back()->name == QLatin1String("desc")) {
                auto text = std::make_unique<Node>();
                text->text = reader.text().toString();
                stack.back()->children.push_back(std::move(text));
            }
            break;
        default:
            break;
        }
    }
    if (reader.hasError() || stack.size() != 1)
        return nullptr;
    return root;
}

// matrix(a, 0, 0, a, e, f) with a > 0: a translation and a uniform scale.
struct Similarity {
    double scale, dx, dy;
};

std::optional<Similarity> similarity(const QString &transform)
{
    static const QRegularExpression matrix(QStringLiteral("^matrix\\(([^)]*)\\)$"));
    const QRegularExpressionMatch m = matrix.match(transform.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const QStringList parts = m.captured(1).split(QLatin1Char(','));
    if (parts.size() != 6)
        return std::nullopt;
    double v[6];
    for (int i = 0; i < 6; ++i) {
        bool ok = false;
        v[i] = parts[i].trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
    }
    if (v[1] != 0.0 || v[2] != 0.0 || v[0] != v[3] || v[0] <= 0.0)
        return std::nullopt;
    return Similarity{v[0], v[4], v[5]};
}

bool isCircleGroup(const Node &n)
{
    if (n.name != QLatin1String("g") || n.children.empty())
        return false;
    for (const auto &c : n.children)
        if (c->name != QLatin1String("circle"))
            return false;
    return similarity(n.attribute(QStringLiteral("transform"))).has_value();
}

QString styleKey(const Node &group)
{
    QString key;
    for (const auto &[k, v] : group.attributes)
        if (k != QLatin1String("transform"))
            key += k + QLatin1Char('=') + v + QLatin1Char(';');
    return key;
}

QString number(double v) { return QString::number(v, 'g', 6); }

// The circles of `group` with its transform folded in, appended to `into`.
void foldCircles(Node &group, Node &into)
{
    const Similarity t = *similarity(group.attribute(QStringLiteral("transform")));
    for (auto &c : group.children) {
        const double cx = c->attribute(QStringLiteral("cx")).toDouble();
        const double cy = c->attribute(QStringLiteral("cy")).toDouble();
        const double r = c->attribute(QStringLiteral("r")).toDouble();
        c->setAttribute(QStringLiteral("cx"), number(t.scale * cx + t.dx));
        c->setAttribute(QStringLiteral("cy"), number(t.scale * cy + t.dy));
        c->setAttribute(QStringLiteral("r"), number(t.scale * r));
        into.children.push_back(std::move(c));
    }
}

// A group without children, a path without segments or a polyline without points draws nothing.
bool isEmptyDrawing(const Node &n)
{
    if (n.name == QLatin1String("g"))
        return n.children.empty();
    if (n.name == QLatin1String("path"))
        return n.attribute(QStringLiteral("d")).trimmed().isEmpty();
    if (n.name == QLatin1String("polyline"))
        return n.attribute(QStringLiteral("points")).trimmed().isEmpty();
    return false;
}

// `next` continues the polyline `line` (same attributes, starts where it ends): its points are
// appended and true returned.
bool extendPolyline(Node &line, const Node &next)
{
    if (line.name != QLatin1String("polyline") || next.name != QLatin1String("polyline") ||
        line.attributes.size() != next.attributes.size())
        return false;
    const QString key = QStringLiteral("points");
    for (const auto &[k, v] : line.attributes)
        if (k != key && next.attribute(k) != v)
            return false;
    const QStringList ours = line.attribute(key).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList theirs = next.attribute(key).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (ours.isEmpty() || theirs.isEmpty() || ours.last() != theirs.first())
        return false;
    theirs.removeFirst();
    line.setAttribute(key, (ours + theirs).join(QLatin1Char(' ')));
    return true;
}

void appendFonts(Node &node, const QString &fallback)
{
    for (auto &[k, v] : node.attributes)
        if (k == QLatin1String("font-family"))
            v += QStringLiteral(", ") + fallback;
    for (auto &c : node.children)
        appendFonts(*c, fallback);
}

void compact(Node &node)
{
    std::vector<std::unique_ptr<Node>> out;
    Node *merged = nullptr; // the open group of circles, in `out`
    QString mergedKey;
    for (auto &child : node.children) {
        if (!child->name.isEmpty())
            compact(*child);
        if (isEmptyDrawing(*child))
            continue;
        if (isCircleGroup(*child)) {
            const QString key = styleKey(*child);
            if (!merged || key != mergedKey) {
                auto group = std::make_unique<Node>();
                group->name = child->name;
                for (const auto &a : child->attributes)
                    if (a.first != QLatin1String("transform"))
                        group->attributes.append(a);
                merged = group.get();
                mergedKey = key;
                out.push_back(std::move(group));
            }
            foldCircles(*child, *merged);
            continue;
        }
        if (!child->name.isEmpty())
            merged = nullptr;
        if (!out.empty() && extendPolyline(*out.back(), *child))
            continue;
        out.push_back(std::move(child));
    }
    node.children = std::move(out);
}

void write(QXmlStreamWriter &writer, const Node &node)
{
    if (node.name.isEmpty()) {
        writer.writeCharacters(node.text);
        return;
    }
    writer.writeStartElement(node.name);
    for (const auto &[k, v] : node.attributes)
        writer.writeAttribute(k, v);
    for (const auto &c : node.children)
        write(writer, *c);
    writer.writeEndElement();
}

} // namespace

QByteArray compactSvg(const QByteArray &svg, const QString &fallbackFonts)
{
    const std::unique_ptr<Node> root = parse(svg);
    if (!root)
        return QByteArray();
    compact(*root);
    if (!fallbackFonts.isEmpty())
        appendFonts(*root, fallbackFonts);
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QXmlStreamWriter writer(&buffer);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(0);
    writer.writeStartDocument(QStringLiteral("1.0"), false);
    for (const auto &c : root->children)
        write(writer, *c);
    writer.writeEndDocument();
    return out;
}

} // namespace mdnviz
