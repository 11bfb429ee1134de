#pragma once
// First-order optimisers over a flat parameter vector. Their whole state is plain data, so a
// trainer can checkpoint and roll back the optimiser together with the weights.

#include <Eigen/Core>

#include <cmath>
#include <optional>
#include <string>

namespace mdn {

enum class OptimizerKind { Adam, RMSProp, SGD };

const char *optimizerName(OptimizerKind k); // "adam", "rmsprop", "sgd"
std::optional<OptimizerKind> optimizerFromName(const std::string &name);

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Adam;
    double learningRate = 0.01;
    double beta1 = 0.9;    // Adam's first moment; SGD's momentum
    // Adam's second moment; RMSProp's decay (0.9 for it, see optimizerDefaults). 0.99 rather than
    // the usual 0.999: the MDN's loss then has no sudden spikes (30 in 4 x 3000 epochs on the
    // inverse sinusoid with 0.999, none with 0.99) and generalises as well.
    double beta2 = 0.99;
    double epsilon = 1e-8;
    double weightDecay = 0.0; // decoupled (AdamW-style): p -= lr * weightDecay * p each step
};

// The usual constants of each kind at a given learning rate (RMSProp decays its average by 0.9).
inline OptimizerConfig optimizerDefaults(OptimizerKind kind, double learningRate)
{
    OptimizerConfig c;
    c.kind = kind;
    c.learningRate = learningRate;
    if (kind == OptimizerKind::RMSProp)
        c.beta2 = 0.9;
    return c;
}

template <typename S>
class Optimizer {
public:
    using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;

    explicit Optimizer(const OptimizerConfig &config = {}) : m_config(config) {}

    const OptimizerConfig &config() const { return m_config; }
    void setLearningRate(double lr) { m_config.learningRate = lr; }
    long steps() const { return m_step; }

    // Everything a restored optimiser needs to take the same next step.
    struct State {
        OptimizerConfig config;
        long step = 0;
        Vector m, v; // empty before the first step
    };
    State state() const { return {m_config, m_step, m_m, m_v}; }
    void restore(const State &s)
    {
        m_config = s.config;
        m_step = s.step;
        m_m = s.m;
        m_v = s.v;
    }

    void reset()
    {
        m_step = 0;
        m_m.resize(0);
        m_v.resize(0);
    }

    // One update of params from its gradient.
    void step(Vector &params, const Vector &grad)
    {
        if (m_m.size() != params.size()) {
            m_m = Vector::Zero(params.size());
            m_v = Vector::Zero(params.size());
        }
        ++m_step;
        const S lr = S(m_config.learningRate);
        const S eps = S(m_config.epsilon);
        if (m_config.weightDecay > 0.0)
            params *= S(1.0 - m_config.learningRate * m_config.weightDecay);
        switch (m_config.kind) {
        case OptimizerKind::Adam: {
            // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
            // p -= lr * m / (1 - b1^t) / (sqrt(v / (1 - b2^t)) + eps)
            const S b1 = S(m_config.beta1), b2 = S(m_config.beta2);
            m_m = b1 * m_m + (S(1) - b1) * grad;
            m_v = b2 * m_v + (S(1) - b2) * grad.cwiseAbs2();
            const S c1 = S(1) / S(1 - std::pow(m_config.beta1, double(m_step)));
            const S c2 = S(1) / S(1 - std::pow(m_config.beta2, double(m_step)));
            params.array() -=
                lr * c1 * m_m.array() / ((m_v.array() * c2).sqrt() + eps);
            break;
        }
        case OptimizerKind::RMSProp: {
            // v = rho v + (1 - rho) g^2;  p -= lr g / (sqrt(v) + eps)
            const S rho = S(m_config.beta2);
            m_v = rho * m_v + (S(1) - rho) * grad.cwiseAbs2();
            params.array() -= lr * grad.array() / (m_v.array().sqrt() + eps);
            break;
        }
        case OptimizerKind::SGD: {
            // velocity = momentum * velocity - lr g;  p += velocity
            m_m = S(m_config.beta1) * m_m - lr * grad;
            params += m_m;
            break;
        }
        }
    }

private:
    OptimizerConfig m_config;
    long m_step = 0;
    Vector m_m, m_v; // first moment / velocity, second moment
};

inline const char *optimizerName(OptimizerKind k)
{
    switch (k) {
    case OptimizerKind::Adam:
        return "adam";
    case OptimizerKind::RMSProp:
        return "rmsprop";
    case OptimizerKind::SGD:
        return "sgd";
    }
    return "?";
}

inline std::optional<OptimizerKind> optimizerFromName(const std::string &name)
{
    for (OptimizerKind k : {OptimizerKind::Adam, OptimizerKind::RMSProp, OptimizerKind::SGD})
        if (name == optimizerName(k))
            return k;
    return std::nullopt;
}

} // namespace mdn
