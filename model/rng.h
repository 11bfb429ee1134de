#pragma once
// A seeded random source whose streams are identical on every platform and standard library:
// std::normal_distribution and friends are implementation-defined, so they are not used.

#include <cmath>
#include <cstdint>

namespace mdn {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

    void reseed(std::uint64_t seed)
    {
        // splitmix64 expands the seed into the xoshiro256** state (never all zero).
        std::uint64_t z = seed;
        for (auto &s : m_s) {
            z += 0x9e3779b97f4a7c15ULL;
            std::uint64_t v = z;
            v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9ULL;
            v = (v ^ (v >> 27)) * 0x94d049bb133111ebULL;
            s = v ^ (v >> 31);
        }
        m_hasSpare = false;
    }

    // The generator's whole state: a restored generator continues the same stream.
    struct State {
        std::uint64_t s[4] = {};
        double spare = 0.0;
        bool hasSpare = false;
    };
    State state() const
    {
        State st;
        for (int i = 0; i < 4; ++i)
            st.s[i] = m_s[i];
        st.spare = m_spare;
        st.hasSpare = m_hasSpare;
        return st;
    }
    void restore(const State &st)
    {
        for (int i = 0; i < 4; ++i)
            m_s[i] = st.s[i];
        m_spare = st.spare;
        m_hasSpare = st.hasSpare;
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Uniform integer in [0, n), n > 0 (Lemire's multiply; the bias is below 2^-32 for our n).
    std::uint64_t below(std::uint64_t n)
    {
        __extension__ typedef unsigned __int128 U128; // GCC/Clang extension, silences -Wpedantic
        return std::uint64_t((U128(next()) * n) >> 64);
    }

    // Standard normal by the polar Box-Muller method; the second value is kept for the next call.
    double normal()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        double u, v, s;
        do {
            u = 2.0 * uniform() - 1.0;
            v = 2.0 * uniform() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        const double f = std::sqrt(-2.0 * std::log(s) / s);
        m_spare = v * f;
        m_hasSpare = true;
        return u * f;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4] = {};
    double m_spare = 0.0;
    bool m_hasSpare = false;
};

} // namespace mdn
