#include "exportdialogs.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QInputDialog>

namespace mdnviz {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("ExportDialogs", text); }

} // namespace

QString askChartFile(QWidget *parent, const QString &suggestedBaseName)
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(parent, tr("Export Chart"),
                                                      suggestedBaseName + QStringLiteral(".png"),
                                                      exportNameFilters().join(QStringLiteral(";;")),
                                                      &filter);
    return path.isEmpty() ? QString() : exportTargetFor(path, filter).first;
}

std::optional<std::pair<QString, ExportFormat>> askChartFolder(QWidget *parent)
{
    const QString dir = QFileDialog::getExistingDirectory(parent, tr("Export All Charts Into"));
    if (dir.isEmpty())
        return std::nullopt;
    bool ok = false;
    const QStringList filters = exportNameFilters();
    const QString chosen = QInputDialog::getItem(parent, tr("Export All Charts"),
                                                 tr("One file per chart, as:"), filters, 0, false, &ok);
    if (!ok)
        return std::nullopt;
    return std::pair(dir, exportTargetFor(QString(), chosen).second);
}

QString askAnimationFile(QWidget *parent)
{
    QString path = QFileDialog::getSaveFileName(parent, tr("Export Training Animation"),
                                                QStringLiteral("training.gif"), tr("GIF animation (*.gif)"));
    if (!path.isEmpty() && !path.endsWith(QStringLiteral(".gif"), Qt::CaseInsensitive))
        path += QStringLiteral(".gif");
    return path;
}

} // namespace mdnviz
