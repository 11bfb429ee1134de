#include "helppanel.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace mdnviz {

HelpPanel::HelpPanel(QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("What am I looking at?"));
    setObjectName(QStringLiteral("helpPanel"));
    m_browser = new QTextBrowser;
    m_browser->setOpenExternalLinks(true);
    m_browser->setHtml(tr(
        "<h3>Two networks learn the same data</h3>"
        "<p>The blue points are the data. Where one x has several y (the inverse sinusoid, "
        "Bishop's problem), no single curve can fit them.</p>"
        "<p><b>Orange curve: the network trained by mean squared error.</b> Minimising the squared "
        "error makes it predict the <i>average</i> y at each x, which can lie between the "
        "branches where there are no data at all.</p>"
        "<p><b>Magenta dots: samples from the mixture density network (MDN).</b> It predicts, "
        "at each x, a whole distribution of y: a mixture of K gaussians with weights π<sub>k</sub>, "
        "means μ<sub>k</sub> and widths σ<sub>k</sub>. Drawing from it puts samples on every "
        "branch. Before training they are scattered anywhere; press <b>Train</b> (F5) and watch "
        "them gather on the data.</p>"
        "<p><b>Colour behind the data: the density p(y|x)</b> of the MDN (log scale by default). "
        "<b>Dotted line: the mode</b>, at each x the mean of the most probable component "
        "(Bishop's approximation); it jumps between branches where their weights cross.</p>"
        "<h3>Losses</h3>"
        "<p>The MSE net's loss (log axis, left) and the MDN's negative log-likelihood in nats per "
        "point (right), solid on the training points, dashed on the held-out validation points. "
        "When the dashed curve turns up while the solid one keeps falling, the model is learning "
        "the noise of its training points: overfitting.</p>"
        "<p>The <b>Bayes line</b> is the NLL of the generator's own density on the validation "
        "points: no model can do better on average. The status bar's <b>gap</b> is the validation "
        "NLL minus that floor; a gap near 0.05 nats is as good as these data allow.</p>"
        "<h3>The other views</h3>"
        "<p><b>Slice</b>: click in the data chart to see the mixture at that x, its components "
        "and a histogram of the data near it. <b>Mixture parameters</b> (second tab): "
        "π<sub>k</sub>(x), μ<sub>k</sub>(x), σ<sub>k</sub>(x) of every component, one colour "
        "each, as in Bishop's figure. The <b>health line</b> under the charts: the smallest "
        "width, the components in use, the gradient norm and the numerical faults recovered.</p>"
        "<h3>Comparing models</h3>"
        "<p><b>Compare</b> tab: several MDNs on the same data and the same held-out points "
        "(<i>Compare ▸ Add Run…</i>, <i>Sweep…</i>), each in its colour: its samples, its loss "
        "curves, its figures in the table. The held-out NLL says which generalises best; click a "
        "run to see it in the other tabs. <b>Auto</b> trains ten sizes and shows the best. Once "
        "training stops, the views show each run at the epoch of its lowest held-out NLL "
        "(early stopping); the chart's title says so.</p>"
        "<h3>Sources</h3>"
        "<p>C. M. Bishop, <i>Mixture Density Networks</i>, Technical Report NCRG/94/004, Aston "
        "University, 1994; and <i>Pattern Recognition and Machine Learning</i>, §5.6 (2006).<br>"
        "D. Ha, <a href=\"https://blog.otoro.net/2015/11/24/mixture-density-networks-with-tensorflow/\">"
        "Mixture Density Networks with TensorFlow</a>, blog.otoro.net, 2015: the inverse "
        "sinusoid and the sample cloud.</p>"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_browser);
    layout->addWidget(buttons);
    resize(520, 560);
}

} // namespace mdnviz
