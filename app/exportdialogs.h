#pragma once
// The window's export dialogs: they ask where (and in which format) to write; the writing is
// chartexport's and animationexport's.

#include "chartexport.h"

#include <QString>

#include <optional>
#include <utility>

class QWidget;

namespace mdnviz {

// Each dialog opens in `folder` (the last one the window's dialogs used).
// File ▸ Export Chart…: a file whose type (chosen in the dialog, or typed as the extension) is
// PNG, SVG or PDF. Empty when cancelled.
QString askChartFile(QWidget *parent, const QString &folder, const QString &suggestedBaseName);
// File ▸ Export All Charts…: a folder, then the format of its files. Nullopt when cancelled.
std::optional<std::pair<QString, ExportFormat>> askChartFolder(QWidget *parent, const QString &folder);
// File ▸ Export Training Animation…: a GIF file. Empty when cancelled.
QString askAnimationFile(QWidget *parent, const QString &folder);

} // namespace mdnviz
