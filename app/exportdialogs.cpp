#include "exportdialogs.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>

namespace mdnviz {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("ExportDialogs", text); }

} // namespace

QString askChartFile(QWidget *parent, const QString &folder, const QString &suggestedBaseName)
{
    QString filter;
    const QString path = QFileDialog::getSaveFileName(parent, tr("Export Chart"),
                                                      QDir(folder).filePath(suggestedBaseName + QStringLiteral(".png")),
                                                      exportNameFilters().join(QStringLiteral(";;")),
                                                      &filter);
    return path.isEmpty() ? QString() : exportTargetFor(path, filter).first;
}

std::optional<std::pair<QString, ExportFormat>> askChartFolder(QWidget *parent, const QString &folder)
{
    const QString dir = QFileDialog::getExistingDirectory(parent, tr("Export All Charts Into"), folder);
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

QString askAnimationFile(QWidget *parent, const QString &folder)
{
    QString path = QFileDialog::getSaveFileName(parent, tr("Export Training Animation"),
                                                QDir(folder).filePath(QStringLiteral("training.gif")),
                                                tr("GIF animation (*.gif)"));
    if (!path.isEmpty() && !path.endsWith(QStringLiteral(".gif"), Qt::CaseInsensitive))
        path += QStringLiteral(".gif");
    return path;
}

} // namespace mdnviz
