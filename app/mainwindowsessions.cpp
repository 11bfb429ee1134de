// The main window's session files (File ▸ Save Session…, Open Session…) and File ▸ Recent.

#include "mainwindow.h"

#include "armviews.h"
#include "datachart.h"
#include "elidedlabel.h"
#include "losschart.h"
#include "safewrite.h"
#include "sessionfile.h"
#include "settingsdock.h"
#include "slicechart.h"
#include "worker.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonObject>
#include <QMenu>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace mdnviz {

namespace {

constexpr const char *kRecentKey = "window/recent";

} // namespace

QJsonObject MainWindow::viewState() const
{
    QJsonObject view;
    view[QStringLiteral("tab")] = m_tabs->currentIndex();
    const QPointF target = m_workspace->target();
    view[QStringLiteral("target")] = QJsonArray{target.x(), target.y()};
    view[QStringLiteral("sliceX")] = m_sliceChart->sliceX();
    view[QStringLiteral("shownRun")] = qint64(m_shownRun); // of a comparison: the run the views show
    return view;
}

// The view a session file gives; what is missing or out of place (a hand-edited file, a tab that
// these data do not have) is left as it is.
void MainWindow::restoreView(const QJsonObject &view)
{
    const QJsonArray target = view.value(QStringLiteral("target")).toArray();
    if (target.size() == 2 && target[0].isDouble() && target[1].isDouble() && std::isfinite(target[0].toDouble()) &&
        std::isfinite(target[1].toDouble()) && m_tabs->isTabVisible(m_planesTab)) {
        const QPointF p(target[0].toDouble(), target[1].toDouble());
        m_workspace->setTarget(p);
        onTargetChanged(m_workspace->target());
    }
    const QJsonValue slice = view.value(QStringLiteral("sliceX"));
    if (slice.isDouble() && std::isfinite(slice.toDouble())) {
        m_sliceChart->setSliceX(slice.toDouble());
        m_dataChart->setSliceX(slice.toDouble());
    }
    const QJsonValue shown = view.value(QStringLiteral("shownRun"));
    if (shown.isDouble() && shown.toInteger(-1) >= 0 && shown.toInteger(-1) == shown.toInteger(-2))
        showRun(std::size_t(shown.toInteger())); // the worker ignores a run it does not have
    const QJsonValue tab = view.value(QStringLiteral("tab"));
    if (tab.isDouble()) {
        const int index = tab.toInt(-1);
        if (index >= 0 && index < m_tabs->count() && m_tabs->isTabVisible(index))
            m_tabs->setCurrentIndex(index);
    }
}

bool MainWindow::saveSession(const QString &path, QString *error)
{
    if (!m_worker) {
        if (error)
            *error = tr("%1: there is no session to save").arg(path);
        return false;
    }
    // The state is encoded on the worker's thread, between two slices (never read here while
    // it trains); the GUI waits that long: a few milliseconds for 4,000 points, about 0.15 s
    // (with the write) for 200,000
    // (the menu's save does not wait: see saveSessionInBackground).
    const QJsonObject view = viewState();
    QByteArray bytes;
    QString why;
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w, &view, &bytes, &why] { bytes = w->encodeSession(view, &why); },
                              Qt::BlockingQueuedConnection);
    std::string e;
    if (bytes.isEmpty()) {
        e = QStringLiteral("%1: %2").arg(path, why).toStdString();
    } else if (mdn::writeFileAtomically(QFile::encodeName(path).toStdString(),
                                        std::string_view(bytes.constData(), std::size_t(bytes.size())), e)) {
        return true;
    }
    if (error)
        *error = QString::fromStdString(e);
    return false;
}

// A session file being read and checked on a pool thread.
struct MainWindow::SessionJob {
    QString path;
    std::optional<SessionFile> file;
    std::unique_ptr<mdn::Session> session;
    QString error;
    QFutureWatcher<void> watcher;
};

void MainWindow::waitForSessionJob()
{
    if (m_sessionJob)
        m_sessionJob->watcher.waitForFinished();
}

void MainWindow::openSession(const QString &path)
{
    if (!m_worker || m_loadJob || m_sessionJob) {
        showError(tr("Open Session"), tr("%1: another file is still loading").arg(path));
        emit sessionOpened(false);
        return;
    }
    // Read, checked and rebuilt whole off the GUI thread (a session of a million points is tens
    // of megabytes) before anything changes: a bad file leaves the session as it was.
    auto job = std::make_shared<SessionJob>();
    job->path = path;
    m_sessionJob = job;
    showStatus(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    SessionJob *raw = job.get();
    connect(&job->watcher, &QFutureWatcher<void>::finished, this, &MainWindow::finishSessionOpen);
    job->watcher.setFuture(QtConcurrent::run([raw] {
        raw->file = readSessionFile(raw->path, &raw->error);
        if (raw->file) {
            raw->session = makeSession(*raw->file, &raw->error);
            if (!raw->session)
                raw->error = QStringLiteral("%1: %2").arg(raw->path, raw->error);
        }
    }));
}

void MainWindow::finishSessionOpen()
{
    std::shared_ptr<SessionJob> job = std::move(m_sessionJob);
    m_sessionJob.reset();
    // The job owns the watcher whose signal is running now: free it once control is back.
    QTimer::singleShot(0, this, [job] {});
    if (!m_worker)
        return; // closing
    if (!job->session) {
        showError(tr("Open Session"),
                  tr("Could not open the session; the current one is kept.\n%1").arg(job->error));
        emit sessionOpened(false);
        return;
    }
    rememberForUndo(tr("Open Session"));
    m_settings = job->file->settings;
    m_data = job->session->data();
    dropQueuedSnapshots();
    showDataset();
    m_settings = m_dock->settings(); // as the dock holds them
    m_charts.applyView(m_settings);
    m_lossChart->clear();
    const long epoch = job->session->epoch();
    TrainingWorker *w = m_worker;
    const Settings cs = m_settings;
    auto holder = std::make_shared<std::unique_ptr<mdn::Session>>(std::move(job->session));
    replaceModels([w, cs, holder] { w->adopt(cs, std::move(*holder)); });
    restoreView(job->file->view);
    addRecent(QStringLiteral("session"), job->path);
    showStatus(tr("Opened the session %1 at epoch %L2 (paused)").arg(QDir::toNativeSeparators(job->path)).arg(epoch),
               15000);
    emit datasetChanged();
    emit sessionOpened(true);
}

void MainWindow::openSessionDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Session"), m_lastFolder,
                                                      tr("mdnviz sessions (*.mdnsession);;All files (*)"));
    if (path.isEmpty())
        return;
    rememberFolder(QFileInfo(path).absolutePath());
    openSession(path);
}

void MainWindow::saveSessionInBackground(const QString &path)
{
    if (!m_worker) {
        writeEncodedSession(path, {}, tr("there is no session to save"));
        return;
    }
    const QJsonObject view = viewState();
    TrainingWorker *w = m_worker;
    QMetaObject::invokeMethod(m_worker, [w, path, view] {
        QString why;
        const QByteArray bytes = w->encodeSession(view, &why);
        emit w->sessionEncoded(path, bytes, why);
    }, Qt::QueuedConnection);
}

// The bytes the worker encoded, written atomically (a few milliseconds per megabyte).
void MainWindow::writeEncodedSession(const QString &path, const QByteArray &bytes, const QString &error)
{
    std::string e;
    if (bytes.isEmpty())
        e = QStringLiteral("%1: %2").arg(path, error).toStdString();
    else if (mdn::writeFileAtomically(QFile::encodeName(path).toStdString(),
                                      std::string_view(bytes.constData(), std::size_t(bytes.size())), e)) {
        addRecent(QStringLiteral("session"), path);
        showStatus(tr("Saved the session to %1").arg(QDir::toNativeSeparators(path)), 8000);
        emit sessionSaved(true, path);
        return;
    }
    showError(tr("Save Session"), tr("Could not save the session.\n%1").arg(QString::fromStdString(e)));
    emit sessionSaved(false, path);
}

void MainWindow::saveSessionDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Session"),
                                                      QDir(m_lastFolder).filePath(QStringLiteral("session.mdnsession")),
                                                      tr("mdnviz sessions (*.mdnsession)"));
    if (path.isEmpty())
        return;
    rememberFolder(QFileInfo(path).absolutePath());
    saveSessionInBackground(path);
}

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::addRecent(const QString &kind, const QString &path)
{
    const QString entry = kind + QLatin1Char(':') + QFileInfo(path).absoluteFilePath();
    QStringList recent = recentFiles();
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > kMaxRecentFiles)
        recent.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentFiles();
    for (const QString &entry : recent) {
        const QString path = entry.section(QLatin1Char(':'), 1);
        const bool session = entry.startsWith(QLatin1String("session:"));
        QAction *a = m_recentMenu->addAction(
            (session ? tr("Session: %1") : tr("Dataset: %1")).arg(QFileInfo(path).fileName()), this,
            [this, entry] {
                // Not from inside the action's signal: opening rebuilds the menu, action and all.
                QTimer::singleShot(0, this, [this, entry] { openRecent(entry); });
            });
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setStatusTip(QDir::toNativeSeparators(path));
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::openRecent(const QString &entry)
{
    const QString path = entry.section(QLatin1Char(':'), 1);
    if (!QFileInfo::exists(path)) {
        QStringList recent = recentFiles();
        recent.removeAll(entry);
        QSettings().setValue(QLatin1String(kRecentKey), recent);
        updateRecentMenu();
        showStatus(tr("%1 is gone: removed from File ▸ Recent").arg(QDir::toNativeSeparators(path)), 10000);
        return;
    }
    if (entry.startsWith(QLatin1String("session:")))
        openSession(path);
    else
        openDatasetAsking(path);
}

} // namespace mdnviz
