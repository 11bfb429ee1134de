#include "session.h"

#include "split.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace mdn {

namespace {

using Clock = std::chrono::steady_clock;

double nanosSince(Clock::time_point start)
{
    return double(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count());
}

// Runs share(0) .. share(threads - 1) at once, share(0) on this thread, and waits for all.
template <typename F>
void onThreads(std::size_t threads, const F &share)
{
    std::vector<std::thread> pool;
    for (std::size_t th = 1; th < threads; ++th)
        pool.emplace_back(share, th);
    share(0);
    for (std::thread &th : pool)
        th.join();
}

// Runs whose epochs are at least this long train side by side in lockstep, on threads that meet
// after every epoch; shorter ones take turns on one thread (a meeting would cost more than the
// second core saves).
constexpr double kLockstepParallelNs = 5e5;

// Threads that meet after every epoch: the last to arrive decides for all whether to go on.
class EpochBarrier {
public:
    explicit EpochBarrier(std::size_t parties) : m_parties(parties) {}
    // Returns whether every party goes on, as `goOn()` said when the last one arrived.
    template <typename F>
    bool arriveAndWait(F goOn)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        const std::size_t generation = m_generation;
        if (++m_waiting == m_parties) {
            m_waiting = 0;
            ++m_generation;
            m_goOn = goOn();
            m_cv.notify_all();
            return m_goOn;
        }
        m_cv.wait(lock, [&] { return generation != m_generation; });
        return m_goOn;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::size_t m_parties, m_waiting = 0, m_generation = 0;
    bool m_goOn = true;
};

} // namespace

void RunHistory::add(double loss)
{
    const long epoch = lastEpoch() + 1;
    m_recent.push_back(loss);
    m_overview.add(epoch, loss);
    if (m_recent.size() >= 2 * kRecentEpochs) {
        m_recent.erase(m_recent.begin(), m_recent.begin() + std::ptrdiff_t(kRecentEpochs));
        m_recentFirst += long(kRecentEpochs);
    }
}

void RunHistory::rollBackTo(long epoch)
{
    if (epoch < m_recentFirst - 1) {
        m_recent.clear();
        m_recentFirst = epoch + 1;
    } else if (epoch < lastEpoch()) {
        m_recent.resize(std::size_t(epoch - m_recentFirst + 1));
    }
    while (!validation.empty() && validation.back().epoch > epoch)
        validation.pop_back();
}

RunHistory::RunHistory(const Saved &saved)
    : validation(saved.validation), seconds(saved.seconds), m_recent(saved.recent),
      m_recentFirst(saved.recentFirst), m_overview(saved.overview)
{
    const auto refuse = [](const std::string &why) { throw std::invalid_argument("loss history: " + why); };
    if (saved.recentFirst < 1)
        refuse("the first recent epoch " + std::to_string(saved.recentFirst) + " is below 1");
    if (saved.recent.size() >= 2 * kRecentEpochs)
        refuse(std::to_string(saved.recent.size()) + " recent losses; at most " +
               std::to_string(2 * kRecentEpochs - 1) + " are kept");
    if (saved.recentFirst > std::numeric_limits<long>::max() / 2)
        refuse("the first recent epoch " + std::to_string(saved.recentFirst) + " is too large");
    for (std::size_t i = 0; i < saved.recent.size(); ++i)
        if (!std::isfinite(saved.recent[i]))
            refuse("the loss at epoch " + std::to_string(saved.recentFirst + long(i)) + " is not a finite number");
    if (saved.overview.capacity != kOverviewPoints)
        refuse("the overview's capacity is " + std::to_string(saved.overview.capacity) + "; it must be " +
               std::to_string(kOverviewPoints));
    long previous = -1;
    for (const Point &p : saved.validation) {
        if (p.epoch < 0 || p.epoch <= previous || p.epoch > lastEpoch())
            refuse("a held-out loss at epoch " + std::to_string(p.epoch) +
                   " is out of order or after the last epoch " + std::to_string(lastEpoch()));
        previous = p.epoch;
    }
    if (!(saved.seconds >= 0.0) || !std::isfinite(saved.seconds))
        refuse("the training time is negative or not a finite number");
}

RunHistory::Saved RunHistory::saved() const
{
    return {m_recent, m_recentFirst, m_overview.saved(), validation, seconds};
}

double RunHistory::loss(long epoch) const
{
    if (epoch < 1 || epoch > lastEpoch())
        return std::numeric_limits<double>::quiet_NaN();
    if (epoch >= m_recentFirst)
        return m_recent[std::size_t(epoch - m_recentFirst)];
    double v = 0.0;
    return m_overview.at(epoch, v) ? v : std::numeric_limits<double>::quiet_NaN();
}

bool RunHistory::operator==(const RunHistory &o) const
{
    return m_recent == o.m_recent && m_recentFirst == o.m_recentFirst && m_overview == o.m_overview;
}

std::size_t Session::batchFor(std::size_t requested, std::size_t trainPoints)
{
    if (requested == 0 && trainPoints > kLargeData)
        return kLargeDataBatch;
    return requested;
}

Session::Session(std::shared_ptr<const Dataset> data, const SessionOptions &options,
                 const std::vector<TrainConfig> &runs, const std::atomic<bool> *stop)
    : m_data(std::move(data)), m_options(options), m_bayes(std::numeric_limits<double>::quiet_NaN())
{
    if (!m_data)
        throw std::invalid_argument("no data");
    const SplitIndices split = splitIndices(m_data->size(), options.validationPercent, options.splitSeed);
    m_train = subset(*m_data, split.train);
    m_validation = subset(*m_data, split.validation);
    // The exact floor under the held-out NLL, once per split.
    if (options.generator && fitsGenerator(options.generator->generator, *m_data) && !m_validation.empty())
        m_bayes = mdn::bayesNll(options.generator->generator, options.generator->noise, m_validation, stop);
    for (TrainConfig c : runs) {
        c.batch = batchFor(c.batch, m_train.size());
        Run r;
        r.trainer = std::make_unique<Trainer>(m_train, c);
        m_runs.push_back(std::move(r));
    }
}

std::size_t Session::addRun(TrainConfig config)
{
    config.batch = batchFor(config.batch, m_train.size());
    Run r;
    r.trainer = std::make_unique<Trainer>(m_train, config);
    m_runs.push_back(std::move(r));
    return m_runs.size() - 1;
}

void Session::removeRun(std::size_t index)
{
    if (index >= m_runs.size())
        throw std::out_of_range("no run " + std::to_string(index) + " in a session of " +
                                std::to_string(m_runs.size()));
    if (m_runs.size() == 1)
        throw std::invalid_argument("a session keeps at least one run");
    m_runs.erase(m_runs.begin() + std::ptrdiff_t(index));
    for (std::optional<std::size_t> *shown : {&m_shownMse, &m_shownMdn}) {
        if (!*shown)
            continue;
        if (**shown == index)
            shown->reset(); // back to the first of its kind
        else if (**shown > index)
            --**shown;
    }
}

std::optional<std::size_t> Session::firstRun(ModelKind kind) const
{
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].trainer->config().kind == kind)
            return i;
    return std::nullopt;
}

long Session::epoch() const
{
    if (m_runs.empty())
        return 0;
    long e = std::numeric_limits<long>::max();
    for (const Run &r : m_runs)
        e = std::min(e, r.trainer->epoch());
    return e;
}

bool Session::failed() const
{
    return std::any_of(m_runs.begin(), m_runs.end(), [](const Run &r) { return r.trainer->failed(); });
}

// The held-out points are scored on a schedule of epochs, so that the validation curves are
// drawn from the first epoch on at any data size and training speed: epoch 0 when a run starts,
// every one of the first kEveryEpochUntil epochs, where the losses move most, then every k-th
// epoch, k the smallest power of two that keeps a run's evaluations to about a tenth of its
// training time, but never more than a sixteenth of the epochs so far, so that a short run still
// gets a curve (powers of two, so that the points stay evenly spaced as k grows). With
// reproducibleSchedule the ratio is estimated from the sizes instead of measured.
bool Session::validationDue(const Run &run, long epoch) const
{
    constexpr long kEveryEpochUntil = 16;
    if (m_validation.empty())
        return false;
    // A reproducible schedule estimates the ratio from the sizes: a scoring is a forward pass
    // over the held-out points, about a third of a training epoch's work per point.
    constexpr double kForwardShare = 1.0 / 3.0;
    const bool measured = !m_options.reproducibleSchedule;
    if (epoch <= kEveryEpochUntil || (measured && (run.epochCostNs <= 0.0 || run.validationCostNs <= 0.0)))
        return true;
    const double ratio = measured ? run.validationCostNs / run.epochCostNs
                                  : kForwardShare * double(m_validation.size()) / double(std::max<std::size_t>(m_train.size(), 1));
    long every = 1;
    while (ratio > 0.1 * double(every) && 2 * every <= epoch / kEveryEpochUntil)
        every *= 2;
    return epoch % every == 0;
}

void Session::validate(Run &run, long epoch, const std::atomic<bool> *stop)
{
    const Clock::time_point start = Clock::now();
    const double v = run.trainer->loss(m_validation, stop);
    if (stop && stop->load(std::memory_order_relaxed))
        return; // cut short: scored again when next due
    run.validationCostNs = nanosSince(start);
    // Strictly lower: of equal losses the earliest weights are kept.
    if (std::isfinite(v) && !(run.bestValidation <= v)) {
        run.bestValidation = v;
        run.bestEpoch = epoch;
        run.bestParameters = run.trainer->parameters();
    }
    std::vector<RunHistory::Point> &h = run.history.validation;
    if (!h.empty() && h.back().epoch == epoch)
        h.back().value = v;
    else
        h.push_back({epoch, v});
}

void Session::trainRun(std::size_t index, long target, const std::atomic<bool> *stop)
{
    Run &run = m_runs[index];
    Trainer &t = *run.trainer;
    if (t.failed() || t.epoch() >= target)
        return;
    if (t.epoch() == 0 && run.history.validation.empty() && !m_validation.empty())
        validate(run, 0, stop);
    // The cost of each epoch, validation left out, smoothed.
    Clock::time_point last = Clock::now();
    t.train(target - t.epoch(), stop, [&](long e, double loss) {
        RunHistory &h = run.history;
        const double ns = nanosSince(last);
        run.history.seconds += ns * 1e-9;
        if (e <= h.lastEpoch()) {
            // Rolled back to epoch e: the epochs after it are undone.
            h.rollBackTo(e);
            last = Clock::now();
            return true;
        }
        run.epochCostNs = run.epochCostNs > 0.0 ? 0.9 * run.epochCostNs + 0.1 * ns : ns;
        h.add(loss);
        if (validationDue(run, e))
            validate(run, e, stop);
        if (m_observer)
            m_observer(index, t);
        last = Clock::now();
        return true;
    });
    // A stopped epoch's part counts as time spent training.
    run.history.seconds += nanosSince(last) * 1e-9;
}

long Session::train(long epochs, std::chrono::nanoseconds budget, const std::atomic<bool> *stop)
{
    const long first = epoch();
    const long target = epochs >= std::numeric_limits<long>::max() - first ? std::numeric_limits<long>::max()
                                                                          : first + std::max(epochs, 0L);
    const Clock::time_point start = Clock::now();
    const auto stopped = [stop] { return stop && stop->load(std::memory_order_relaxed); };
    const auto outOfTime = [&] { return budget.count() > 0 && Clock::now() - start >= budget; };
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const std::size_t threads = std::min(cores, m_runs.size());
    if (threads > 1 && budget.count() == 0 && target - first > 1) {
        // A fixed number of epochs (the command line): every run trains to the target on a
        // thread of its own; an interrupt finds each where its thread got to. With more runs
        // than threads (a sweep), a free thread takes the next run, the largest networks first,
        // so that no core idles while the other trains a big run left for the end.
        std::vector<std::size_t> order(m_runs.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [this](std::size_t a, std::size_t b) {
            return m_runs[a].trainer->net().parameterCount() > m_runs[b].trainer->net().parameterCount();
        });
        std::atomic<std::size_t> next{0};
        const auto share = [&](std::size_t) {
            for (std::size_t k = next++; k < order.size(); k = next++)
                trainRun(order[k], target, stop);
        };
        onThreads(threads, share);
        return finishTrain(first, target, stop);
    }
    double slowest = 0.0;
    for (const Run &r : m_runs)
        slowest = std::max(slowest, r.epochCostNs);
    if (threads > 1 && slowest >= kLockstepParallelNs) {
        // Long epochs: side by side, meeting after every epoch, so that a stop or the end of the
        // budget leaves no run more than the epoch it was in ahead of another.
        EpochBarrier barrier(threads);
        const long from = epoch();
        const auto share = [&](std::size_t th) {
            for (long e = from + 1; e <= target; ++e) {
                for (std::size_t i = th; i < m_runs.size(); i += threads)
                    trainRun(i, e, stop);
                if (!barrier.arriveAndWait([&] { return !stopped() && !outOfTime() && !failed(); }))
                    return;
            }
        };
        onThreads(threads, share);
        return finishTrain(first, target, stop);
    }
    // One epoch of each run in turn.
    while (epoch() < target && !failed() && !stopped() && !outOfTime()) {
        const long e = epoch() + 1;
        for (std::size_t i = 0; i < m_runs.size(); ++i)
            trainRun(i, e, stop);
    }
    return finishTrain(first, target, stop);
}

// The last epoch of a train() call that reached its target is scored whatever the schedule says,
// so that the best weights (and the last held-out loss) are never an epoch stride behind.
long Session::finishTrain(long first, long target, const std::atomic<bool> *stop)
{
    if (epoch() == target && !(stop && stop->load(std::memory_order_relaxed)))
        validateNow(stop);
    return std::max(0L, epoch() - first);
}

void Session::validateNow(const std::atomic<bool> *stop)
{
    const long e = epoch();
    if (m_validation.empty())
        return;
    for (Run &r : m_runs) {
        const std::vector<RunHistory::Point> &h = r.history.validation;
        if (r.trainer->epoch() != e || r.trainer->midEpoch() || (!h.empty() && h.back().epoch == e))
            continue;
        validate(r, e, stop);
    }
}

// The epochs of a run's history in (afterEpoch, last] with a loss kept: every recent one, the
// overview's before them, and the scored ones.
void Session::keptEpochs(const RunHistory &h, long afterEpoch, long last, std::vector<long> &out)
{
    for (const LossHistory::Point &p : h.overview().points())
        if (p.epoch > afterEpoch && p.epoch < h.firstRecentEpoch() && p.epoch <= last)
            out.push_back(p.epoch);
    for (const RunHistory::Point &p : h.validation)
        if (p.epoch > afterEpoch && p.epoch <= last)
            out.push_back(p.epoch);
    for (long e = std::max(afterEpoch + 1, h.firstRecentEpoch()); e <= last; ++e)
        out.push_back(e);
}

std::vector<LossPoint> Session::lossPoints(long afterEpoch) const
{
    const std::optional<std::size_t> mse = shownRun(ModelKind::Mse), mdn = shownRun(ModelKind::Mdn);
    const long last = epoch();
    std::vector<LossPoint> out;
    if (last <= afterEpoch)
        return out;
    std::vector<long> epochs;
    for (const std::optional<std::size_t> &run : {mse, mdn})
        if (run)
            keptEpochs(m_runs[*run].history, afterEpoch, last, epochs);
    if (afterEpoch < 0)
        epochs.push_back(0); // the untrained models: held-out losses at most
    std::sort(epochs.begin(), epochs.end());
    epochs.erase(std::unique(epochs.begin(), epochs.end()), epochs.end());

    const auto trainLoss = [this](std::optional<std::size_t> run, long e) {
        return run ? m_runs[*run].history.loss(e) : std::numeric_limits<double>::quiet_NaN();
    };
    const auto firstValidation = [this](std::optional<std::size_t> run, long e) {
        if (!run)
            return std::vector<RunHistory::Point>::const_iterator();
        const std::vector<RunHistory::Point> &h = m_runs[*run].history.validation;
        return std::lower_bound(h.begin(), h.end(), e,
                                [](const RunHistory::Point &p, long v) { return p.epoch < v; });
    };
    auto vMse = firstValidation(mse, afterEpoch + 1), vMdn = firstValidation(mdn, afterEpoch + 1);
    const auto take = [this](std::optional<std::size_t> run, std::vector<RunHistory::Point>::const_iterator &it,
                             long e) {
        if (!run)
            return std::numeric_limits<double>::quiet_NaN();
        const std::vector<RunHistory::Point> &h = m_runs[*run].history.validation;
        while (it != h.end() && it->epoch < e)
            ++it;
        return it != h.end() && it->epoch == e ? it->value : std::numeric_limits<double>::quiet_NaN();
    };
    out.reserve(epochs.size());
    for (const long e : epochs) {
        LossPoint p{e, trainLoss(mse, e), trainLoss(mdn, e)};
        p.validationMse = take(mse, vMse, e);
        p.validationNll = take(mdn, vMdn, e);
        out.push_back(p);
    }
    return out;
}

std::vector<RunLossPoint> Session::runLossPoints(std::size_t index, long afterEpoch) const
{
    const RunHistory &h = m_runs.at(index).history;
    const long last = m_runs[index].trainer->epoch();
    std::vector<RunLossPoint> out;
    if (last <= afterEpoch)
        return out;
    std::vector<long> epochs;
    if (afterEpoch < 0)
        epochs.push_back(0); // the untrained model: its held-out loss at most
    keptEpochs(h, afterEpoch, std::min(last, h.lastEpoch()), epochs);
    std::sort(epochs.begin(), epochs.end());
    epochs.erase(std::unique(epochs.begin(), epochs.end()), epochs.end());
    auto v = std::lower_bound(h.validation.begin(), h.validation.end(), afterEpoch + 1,
                              [](const RunHistory::Point &p, long e) { return p.epoch < e; });
    out.reserve(epochs.size());
    for (const long e : epochs) {
        RunLossPoint p;
        p.epoch = e;
        p.train = h.loss(e);
        while (v != h.validation.end() && v->epoch < e)
            ++v;
        if (v != h.validation.end() && v->epoch == e)
            p.validation = v->value;
        out.push_back(p);
    }
    return out;
}

Predictor Session::bestPredictor(std::size_t index) const
{
    const Run &run = m_runs[index];
    if (run.bestEpoch < 0)
        throw std::logic_error("run " + std::to_string(index) + " has no scored weights");
    const Trainer &t = *run.trainer;
    Trainer::Net net = t.net();
    net.parameters() = run.bestParameters;
    Predictor p(t.config().kind, t.config().mixtures, t.config().sigmaFloor, t.standardiser(), net);
    p.epoch = run.bestEpoch;
    return p;
}

bool Session::restoreBest(std::size_t index)
{
    Run &run = m_runs[index];
    if (run.bestEpoch < 0)
        return false;
    run.trainer->restoreParameters(run.bestParameters);
    return true;
}

std::optional<std::size_t> Session::shownRun(ModelKind kind) const
{
    const std::optional<std::size_t> &chosen = kind == ModelKind::Mse ? m_shownMse : m_shownMdn;
    return chosen ? chosen : firstRun(kind);
}

void Session::showRun(std::size_t run)
{
    (m_runs.at(run).trainer->config().kind == ModelKind::Mse ? m_shownMse : m_shownMdn) = run;
}

double Session::latestValidation(ModelKind kind) const
{
    const std::optional<std::size_t> run = shownRun(kind);
    if (!run || m_runs[*run].history.validation.empty())
        return std::numeric_limits<double>::quiet_NaN();
    return m_runs[*run].history.validation.back().value;
}

Snapshot Session::snapshot(const SnapshotRequest &request) const
{
    Snapshot s;
    s.epoch = epoch();
    const std::optional<std::size_t> mse = shownRun(ModelKind::Mse), mdn = shownRun(ModelKind::Mdn);
    s.validationMse = latestValidation(ModelKind::Mse);
    s.validationNll = latestValidation(ModelKind::Mdn);
    // The model a shown run is drawn with: its best weights when asked for and known.
    const auto model = [&](std::size_t run, double &validation) {
        const Run &r = m_runs[run];
        if (request.preferBest && r.bestEpoch >= 0) {
            validation = r.bestValidation;
            s.showingBest = true;
            return std::make_shared<const Predictor>(bestPredictor(run));
        }
        return std::make_shared<const Predictor>(r.trainer->predictor());
    };
    if (mse) {
        const Trainer &t = *m_runs[*mse].trainer;
        s.mseLoss = t.lastLoss();
        s.msePredictor = model(*mse, s.validationMse);
    }
    if (mdn) {
        const Trainer &t = *m_runs[*mdn].trainer;
        s.mdnLoss = t.lastLoss();
        s.mdnPredictor = model(*mdn, s.validationNll);
    }
    s.bayesNll = m_bayes;
    s.trainPoints = m_train.size();
    s.validationPoints = m_validation.size();
    fillSnapshot(s, s.msePredictor.get(), s.mdnPredictor.get(), *m_data, request);
    if (mse)
        s.mseFaults = m_runs[*mse].trainer->faults().size();
    if (mdn) {
        s.gradientNorm = m_runs[*mdn].trainer->gradientNorm();
        s.mdnFaults = m_runs[*mdn].trainer->faults().size();
    }
    if (request.runViews)
        s.runs = runViews(request);
    return s;
}

std::vector<RunView> Session::runViews(const SnapshotRequest &request) const
{
    std::vector<RunView> out;
    const std::optional<std::size_t> reference = firstRun(ModelKind::Mdn), shown = shownRun(ModelKind::Mdn);
    if (!reference || m_data->empty())
        return out;
    // Where the runs are sampled: a grid over x for one input and one target, else up to 400 of
    // the held-out points' inputs (the training points' without any), drawn against the first
    // input and the first target.
    const Dataset &at = m_validation.empty() ? m_train : m_validation;
    Eigen::MatrixXd X;
    int perX = 1;
    if (m_data->oneDimensional()) {
        const auto [lo, hi] = std::minmax_element(m_data->x.begin(), m_data->x.end());
        const std::vector<double> grid = linspace(*lo, *hi, 100);
        X = Eigen::Map<const Eigen::RowVectorXd>(grid.data(), Eigen::Index(grid.size()));
        perX = std::clamp(request.samplesPerX, 1, 10);
    } else {
        const std::size_t n = std::min<std::size_t>(400, at.size());
        X.resize(m_data->inputDims, Eigen::Index(n));
        for (std::size_t j = 0; j < n; ++j)
            for (int c = 0; c < m_data->inputDims; ++c)
                X(c, Eigen::Index(j)) = at.input(j * at.size() / n, c);
    }
    const TrainConfig &ref = m_runs[*reference].trainer->config();
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const Run &r = m_runs[i];
        const Trainer &t = *r.trainer;
        if (t.config().kind != ModelKind::Mdn)
            continue;
        RunView v;
        v.run = i;
        v.config = t.config();
        v.label = i == *reference ? std::string() : describeDifferences(ref, t.config());
        v.epoch = t.epoch();
        v.trainLoss = t.epoch() > 0 ? t.lastLoss() : std::numeric_limits<double>::quiet_NaN();
        v.validation = r.history.validation.empty() ? std::numeric_limits<double>::quiet_NaN()
                                                     : r.history.validation.back().value;
        v.bestEpoch = r.bestEpoch;
        v.bestValidation = r.bestValidation;
        v.seconds = r.history.seconds;
        v.failed = t.failed();
        v.shown = shown && i == *shown;
        v.best = request.preferBest && r.bestEpoch >= 0;
        if (X.cols() > 0 && t.epoch() > 0) { // untrained weights are not a result
            const Predictor p = v.best ? bestPredictor(i) : t.predictor();
            const Eigen::MatrixXd y = p.sampleAt(X, perX, request.sampleSeed);
            v.sampleX.reserve(std::size_t(y.cols()));
            v.sampleY.reserve(std::size_t(y.cols()));
            for (Eigen::Index c = 0; c < y.cols(); ++c) {
                v.sampleX.push_back(X(0, c / perX));
                v.sampleY.push_back(y(0, c));
            }
        }
        out.push_back(std::move(v));
    }
    return out;
}

Session::State Session::state() const
{
    State s;
    for (const Run &r : m_runs) {
        s.trainers.push_back(r.trainer->state());
        s.histories.push_back(r.history);
        s.best.push_back({r.bestEpoch, r.bestValidation, r.bestEpoch >= 0 ? r.bestParameters : Eigen::VectorXf()});
    }
    return s;
}

void Session::restore(const State &state)
{
    if (state.trainers.size() != m_runs.size() || state.histories.size() != m_runs.size())
        throw std::invalid_argument("the saved session has " + std::to_string(state.trainers.size()) +
                                    " runs; this one has " + std::to_string(m_runs.size()));
    if (!state.best.empty() && state.best.size() != m_runs.size())
        throw std::invalid_argument("the saved session has best weights for " + std::to_string(state.best.size()) +
                                    " runs; it has " + std::to_string(m_runs.size()));
    for (std::size_t i = 0; i < state.best.size(); ++i) {
        const BestWeights &b = state.best[i];
        if (b.epoch < 0)
            continue;
        const std::string run = "run " + std::to_string(i + 1) + "'s best weights";
        if (b.epoch > state.trainers[i].epoch)
            throw std::invalid_argument(run + " are of epoch " + std::to_string(b.epoch) + ", after its last epoch " +
                                        std::to_string(state.trainers[i].epoch));
        if (b.parameters.size() != m_runs[i].trainer->net().parameterCount())
            throw std::invalid_argument(run + " have " + std::to_string(b.parameters.size()) + " values for " +
                                        std::to_string(m_runs[i].trainer->net().parameterCount()) + " parameters");
        if (!std::isfinite(b.validation) || !b.parameters.allFinite())
            throw std::invalid_argument(run + " or their held-out loss are not finite");
    }
    const State before = this->state();
    try {
        for (std::size_t i = 0; i < m_runs.size(); ++i)
            m_runs[i].trainer->restore(state.trainers[i]);
    } catch (...) {
        for (std::size_t i = 0; i < m_runs.size(); ++i)
            m_runs[i].trainer->restore(before.trainers[i]);
        throw;
    }
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        m_runs[i].history = state.histories[i];
        m_runs[i].epochCostNs = m_runs[i].validationCostNs = 0.0;
        const BestWeights none;
        const BestWeights &b = state.best.empty() || state.best[i].epoch < 0 ? none : state.best[i];
        m_runs[i].bestParameters = b.parameters;
        m_runs[i].bestEpoch = b.epoch;
        m_runs[i].bestValidation = b.validation;
    }
}

} // namespace mdn
