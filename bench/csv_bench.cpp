// CSV loading speed and memory: writes (or reuses) a file of N (x, y) rows, then times
// mdn::readCsv on it and reports the peak resident memory against the raw data size.
//
// Usage: csv_bench FILE [--rows N] [--repeat R]
//   Creates FILE with N rows (default 1,000,000) if it does not exist, then loads it R times
//   (default 5) and prints the median and best load time.

#include "csv.h"
#include "dataset.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: csv_bench FILE [--rows N] [--repeat R]\n");
        return 2;
    }
    const std::string path = argv[1];
    std::size_t rows = 1'000'000;
    int repeat = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--rows")
            rows = std::size_t(std::stoul(argv[i + 1]));
        else if (a == "--repeat")
            repeat = std::stoi(argv[i + 1]);
    }
    if (!std::filesystem::exists(path)) {
        mdn::GeneratorSpec g;
        g.points = rows;
        std::string err;
        if (!mdn::writeCsv(path, mdn::generate(g), err)) {
            std::fprintf(stderr, "%s\n", err.c_str());
            return 1;
        }
    }
    std::vector<double> times;
    std::size_t loaded = 0;
    for (int r = 0; r < repeat; ++r) {
        mdn::Dataset d;
        mdn::CsvError e;
        const auto t0 = std::chrono::steady_clock::now();
        if (!mdn::readCsv(path, d, e)) {
            std::fprintf(stderr, "%s\n", e.toString().c_str());
            return 1;
        }
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        loaded = d.size();
    }
    std::sort(times.begin(), times.end());
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const double raw = double(loaded) * 2 * sizeof(double);
    std::printf("rows=%zu file_mib=%.1f median_seconds=%.4f best_seconds=%.4f max_rss_mib=%.1f "
                "raw_data_mib=%.1f\n",
                loaded, double(std::filesystem::file_size(path)) / (1 << 20), times[times.size() / 2],
                times.front(), double(u.ru_maxrss) / 1024.0, raw / (1 << 20));
    return 0;
}
