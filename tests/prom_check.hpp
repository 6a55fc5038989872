#pragma once
// A strict reader of the Prometheus text exposition format (version 0.0.4),
// enough to tell whether node_exporter's textfile collector would accept a
// file: HELP/TYPE lines, metric names, label sets, values. Shared by the unit
// and the end-to-end tests.
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace topo::testing {

struct PromParse {
  std::vector<std::string> errors;          // "line N: why"
  std::map<std::string, double> samples;    // metric name (labels dropped) -> value
  std::map<std::string, std::string> types;  // metric name -> counter | gauge | ...
  std::set<std::string> helped;
  // The family a sample belongs to: a histogram's name_bucket, name_sum and
  // name_count belong to name, which has the HELP and TYPE.
  std::string family_of(const std::string& sample) const {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (sample.size() > s.size() && sample.compare(sample.size() - s.size(), s.size(), s) == 0) {
        const std::string base = sample.substr(0, sample.size() - s.size());
        auto it = types.find(base);
        if (it != types.end() && it->second == "histogram") return base;
      }
    }
    return sample;
  }
};

inline PromParse parse_prometheus_text(const std::string& text) {
  static const std::regex kName("[a-zA-Z_:][a-zA-Z0-9_:]*");
  static const std::regex kHelp("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
  static const std::regex kType("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*,?)?\})? ([^ ]+)( -?[0-9]+)?)");
  PromParse p;
  if (!text.empty() && text.back() != '\n') p.errors.push_back("the last line does not end in a newline");
  std::istringstream in(text);
  std::string line;
  int n = 0;
  std::set<std::string> seen_samples;
  while (std::getline(in, line)) {
    ++n;
    std::string where = "line " + std::to_string(n) + ": ";
    std::smatch m;
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0) {
      if (!std::regex_match(line, m, kHelp)) { p.errors.push_back(where + "malformed HELP"); continue; }
      if (!p.helped.insert(m[1]).second) p.errors.push_back(where + "second HELP for " + m[1].str());
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      if (!std::regex_match(line, m, kType)) { p.errors.push_back(where + "malformed TYPE"); continue; }
      if (p.types.count(m[1])) p.errors.push_back(where + "second TYPE for " + m[1].str());
      if (seen_samples.count(m[1])) p.errors.push_back(where + "TYPE after samples of " + m[1].str());
      p.types[m[1]] = m[2];
      continue;
    }
    if (line[0] == '#') continue;  // other comments are allowed
    if (!std::regex_match(line, m, kSample)) { p.errors.push_back(where + "malformed sample: " + line); continue; }
    std::string value = m[7];
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    bool special = value == "+Inf" || value == "-Inf" || value == "NaN";
    if (!special && (end == value.c_str() || *end != '\0')) p.errors.push_back(where + "bad value " + value);
    if (p.types[m[1]] == "counter" && v < 0) p.errors.push_back(where + "negative counter");
    seen_samples.insert(m[1]);
    p.samples[m[1]] = v;
  }
  return p;
}

}  // namespace topo::testing
