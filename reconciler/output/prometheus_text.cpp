#include "reconciler/output/prometheus_text.hpp"

#include <cstdio>
#include <sstream>

#include "reconciler/output/build_info.hpp"

namespace topo {
namespace {

// The length of the valid UTF-8 sequence at v[i], 0 when there is none.
std::size_t utf8_length(const std::string& v, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(v[k]); };
  const unsigned char c = byte(i);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > v.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  return n;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::string escape_label_value(const std::string& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size();) {
    const char ch = v[i];
    const std::size_t n = utf8_length(v, i);
    if (n == 0) out += "\xEF\xBF\xBD";
    else if (ch == '\\') out += "\\\\";
    else if (ch == '"') out += "\\\"";
    else if (ch == '\n') out += "\\n";
    else out.append(v, i, n);
    i += n == 0 ? 1 : n;
  }
  return out;
}

void write_metric(std::ostream& out, const std::string& name, const std::string& type, const std::string& help,
                  const std::string& value) {
  out << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n' << name << ' '
      << value << '\n';
}

std::string format_build_info() {
  std::ostringstream out;
  out << "# HELP topo_build_info Which topo this is: its version and the commit it was built from.\n"
      << "# TYPE topo_build_info gauge\n"
      << "topo_build_info{version=\"" << escape_label_value(std::string(build_version())) << "\",commit=\""
      << escape_label_value(std::string(build_commit())) << "\"} 1\n";
  return out.str();
}

ManagedObjects count_managed(const std::vector<Resource>& resources) {
  ManagedObjects out;
  for (const Resource& r : resources) ++out[{to_string(r.kind), r.stack}];
  return out;
}

std::string format_managed_objects(const ManagedObjects& managed) {
  std::ostringstream out;
  out << "# HELP topo_managed_objects Kernel objects topo manages, by kind and stack (stack \"\": shared by every "
         "stack), as the last successful run left them.\n"
      << "# TYPE topo_managed_objects gauge\n";
  for (const auto& [key, n] : managed)
    out << "topo_managed_objects{kind=\"" << escape_label_value(key.first) << "\",stack=\""
        << escape_label_value(key.second) << "\"} " << n << '\n';
  return out.str();
}

void DurationHistogram::observe(double seconds) {
  for (std::size_t i = 0; i < kBounds.size(); ++i)
    if (seconds <= kBounds[i]) {
      ++in_bucket[i];
      break;
    }
  sum += seconds;
  ++count;
}

std::string format_histogram(const std::string& name, const std::string& help, const DurationHistogram& h) {
  std::ostringstream out;
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
  uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.kBounds.size(); ++i) {
    cumulative += h.in_bucket[i];
    out << name << "_bucket{le=\"" << number(h.kBounds[i]) << "\"} " << cumulative << '\n';
  }
  out << name << "_bucket{le=\"+Inf\"} " << h.count << '\n'
      << name << "_sum " << number(h.sum) << '\n'
      << name << "_count " << h.count << '\n';
  return out.str();
}

}  // namespace topo
