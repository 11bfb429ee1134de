#pragma once
// A fully connected network with tanh hidden layers and a linear output layer, column = observation.
// All weights and biases live in one flat vector so that an optimiser, a checkpoint or a gradient
// check treats the whole model as a single array.

#include "rng.h"

#include <Eigen/Core>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace mdn {

template <typename S>
class Mlp {
public:
    using Matrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>; // column-major
    using Vector = Eigen::Matrix<S, Eigen::Dynamic, 1>;
    using MatrixMap = Eigen::Map<Matrix>;
    using ConstMatrixMap = Eigen::Map<const Matrix>;
    using VectorMap = Eigen::Map<Vector>;
    using ConstVectorMap = Eigen::Map<const Vector>;

    // Activations of one forward pass, kept for the backward pass. Sized on first use and reused,
    // so a training loop with a fixed batch size allocates nothing after its first step.
    // The hidden layers are unit x N (column = observation); the output is N x outputs (row =
    // observation), so that a loss working per output unit reads contiguous columns of N values
    // and vectorises along the batch.
    struct Workspace {
        std::vector<Matrix> act;   // act[l]: sizes[l+1] x N, tanh output of hidden layer l
        std::vector<Matrix> delta; // delta[l]: dLoss/d(pre-activation of hidden layer l), same shape
        Matrix out;                // N x outputs, the linear output
    };

    Mlp() = default;
    Mlp(int inputs, const std::vector<int> &hidden, int outputs)
    {
        if (inputs < 1 || outputs < 1)
            throw std::invalid_argument("a network needs at least one input and one output");
        m_sizes.push_back(inputs);
        for (int h : hidden) {
            if (h < 1)
                throw std::invalid_argument("a hidden layer needs at least one unit");
            m_sizes.push_back(h);
        }
        m_sizes.push_back(outputs);
        Eigen::Index offset = 0;
        for (std::size_t l = 0; l + 1 < m_sizes.size(); ++l) {
            m_weightOffset.push_back(offset);
            offset += Eigen::Index(m_sizes[l + 1]) * m_sizes[l];
            m_biasOffset.push_back(offset);
            offset += m_sizes[l + 1];
        }
        m_params = Vector::Zero(offset);
    }

    int inputs() const { return m_sizes.front(); }
    int outputs() const { return m_sizes.back(); }
    int layers() const { return int(m_sizes.size()) - 1; }
    const std::vector<int> &sizes() const { return m_sizes; }
    Eigen::Index parameterCount() const { return m_params.size(); }
    Vector &parameters() { return m_params; }
    const Vector &parameters() const { return m_params; }

    // Weights ~ N(0, (gain / sqrt(fan_in))^2); the output layer uses outputGain instead of gain.
    // Biases of the first layer ~ N(0, gain^2) so that the tanh units' transitions are spread over
    // the (standardised) input range instead of all sitting at 0.
    void initialise(Rng &rng, double gain, double outputGain)
    {
        for (int l = 0; l < layers(); ++l) {
            const bool last = l + 1 == layers();
            const double sd = (last ? outputGain : gain) / std::sqrt(double(m_sizes[l]));
            MatrixMap w = weights(l);
            for (Eigen::Index i = 0; i < w.size(); ++i)
                w.data()[i] = S(sd * rng.normal());
            VectorMap b = bias(l);
            for (Eigen::Index i = 0; i < b.size(); ++i)
                b[i] = l == 0 && !last ? S(gain * rng.normal()) : S(0);
        }
    }

    MatrixMap weights(int l) { return weightsIn(m_params.data(), l); }
    ConstMatrixMap weights(int l) const
    {
        return ConstMatrixMap(m_params.data() + m_weightOffset[l], m_sizes[l + 1], m_sizes[l]);
    }
    VectorMap bias(int l) { return VectorMap(m_params.data() + m_biasOffset[l], m_sizes[l + 1]); }
    ConstVectorMap bias(int l) const
    {
        return ConstVectorMap(m_params.data() + m_biasOffset[l], m_sizes[l + 1]);
    }

    // X: inputs x N. Returns the output, N x outputs (a reference into ws).
    const Matrix &forward(const Eigen::Ref<const Matrix> &X, Workspace &ws) const
    {
        const Eigen::Index n = X.cols();
        const int hidden = layers() - 1;
        ws.act.resize(std::size_t(hidden));
        ws.delta.resize(std::size_t(hidden));
        for (int l = 0; l < hidden; ++l) {
            Matrix &a = ws.act[std::size_t(l)];
            a.resize(m_sizes[std::size_t(l) + 1], n);
            if (l == 0)
                a.noalias() = weights(0) * X;
            else
                a.noalias() = weights(l) * ws.act[std::size_t(l) - 1];
            a.colwise() += bias(l);
            a.array() = a.array().tanh();
        }
        // out^T = W A + b, computed directly in its transposed (row = observation) layout.
        ws.out.resize(n, outputs());
        if (hidden == 0)
            ws.out.noalias() = X.transpose() * weights(hidden).transpose();
        else
            ws.out.noalias() = ws.act.back().transpose() * weights(hidden).transpose();
        ws.out.rowwise() += bias(hidden).transpose();
        return ws.out;
    }

    // dOut: N x outputs, dLoss/dOutput for the batch of the last forward(X, ws).
    // Writes dLoss/dParameters into grad (same layout as parameters()).
    void backward(const Eigen::Ref<const Matrix> &X, const Matrix &dOut, Workspace &ws,
                  Vector &grad) const
    {
        grad.resize(m_params.size());
        const int last = layers() - 1;
        // Output layer: dW = dOut^T A^T, db = column sums of dOut, dA = W^T dOut^T.
        MatrixMap gw = weightsIn(grad.data(), last);
        if (last == 0)
            gw.noalias() = dOut.transpose() * X.transpose();
        else
            gw.noalias() = dOut.transpose() * ws.act.back().transpose();
        VectorMap(grad.data() + m_biasOffset[std::size_t(last)], outputs()).noalias() =
            dOut.colwise().sum().transpose();
        if (last == 0)
            return;
        Matrix &top = ws.delta.back();
        top.resize(m_sizes[std::size_t(last)], dOut.rows());
        top.noalias() = weights(last).transpose() * dOut.transpose();
        // Hidden layers, top down. Through tanh: d tanh(z)/dz = 1 - tanh(z)^2.
        for (int l = last - 1; l >= 0; --l) {
            Matrix &d = ws.delta[std::size_t(l)];
            d.array() *= S(1) - ws.act[std::size_t(l)].array().square();
            MatrixMap g = weightsIn(grad.data(), l);
            if (l == 0)
                g.noalias() = d * X.transpose();
            else
                g.noalias() = d * ws.act[std::size_t(l) - 1].transpose();
            VectorMap(grad.data() + m_biasOffset[std::size_t(l)], m_sizes[std::size_t(l) + 1])
                .noalias() = d.rowwise().sum();
            if (l > 0) {
                Matrix &below = ws.delta[std::size_t(l) - 1];
                below.resize(m_sizes[std::size_t(l)], d.cols());
                below.noalias() = weights(l).transpose() * d;
            }
        }
    }

    // Converts between scalar types with the same architecture (float training, double checks).
    template <typename T>
    Mlp<T> cast() const
    {
        std::vector<int> hidden(m_sizes.begin() + 1, m_sizes.end() - 1);
        Mlp<T> other(inputs(), hidden, outputs());
        other.parameters() = m_params.template cast<T>();
        return other;
    }

private:
    MatrixMap weightsIn(S *base, int l) const
    {
        return MatrixMap(base + m_weightOffset[l], m_sizes[l + 1], m_sizes[l]);
    }

    std::vector<int> m_sizes;
    std::vector<Eigen::Index> m_weightOffset, m_biasOffset;
    Vector m_params;
};

} // namespace mdn
