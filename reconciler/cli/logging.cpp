#include "reconciler/cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "reconciler/output/log_fields.hpp"

namespace topo::cli {
namespace {

std::string utc_timestamp(spdlog::log_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const time_t secs = static_cast<time_t>(ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

// One JSON object per line; the message and every field escaped by
// nlohmann::json (a pattern cannot escape a quote in a message).
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    nlohmann::ordered_json line;
    line["time"] = utc_timestamp(msg.time);
    line["level"] = std::string(spdlog::level::to_string_view(msg.level).data(),
                                spdlog::level::to_string_view(msg.level).size());
    line["msg"] = std::string(msg.payload.data(), msg.payload.size());
    if (const LogFields* f = current_log_fields()) {
      if (!f->action.empty()) line["action"] = f->action;
      if (!f->object.empty()) line["object"] = f->object;
      if (!f->ns.empty()) line["namespace"] = f->ns;
      if (!f->stack.empty()) line["stack"] = f->stack;
      if (!f->origin.empty()) line["origin"] = f->origin;
      if (f->seconds) line["duration_seconds"] = *f->seconds;
    }
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return 7;
    case spdlog::level::info: return 6;
    case spdlog::level::warn: return 4;
    case spdlog::level::err: return 3;
    case spdlog::level::critical: return 2;
    default: return 6;
  }
}

// Native journal entries: MESSAGE and PRIORITY, and the fields, each its own
// journal field.
class JournalSink : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::vector<std::string> fields;
    fields.push_back("MESSAGE=" + std::string(msg.payload.data(), msg.payload.size()));
    fields.push_back("PRIORITY=" + std::to_string(syslog_priority(msg.level)));
    fields.push_back("SYSLOG_IDENTIFIER=topo");
    if (const LogFields* f = current_log_fields()) {
      auto add = [&](const char* key, const std::string& value) {
        if (!value.empty()) fields.push_back(std::string(key) + "=" + value);
      };
      add("TOPO_ACTION", f->action);
      add("TOPO_OBJECT", f->object);
      add("TOPO_NAMESPACE", f->ns);
      add("TOPO_STACK", f->stack);
      add("TOPO_ORIGIN", f->origin);
      if (f->seconds) add("TOPO_DURATION_SECONDS", fmt::format("{:.6f}", *f->seconds));
    }
    std::vector<iovec> iov;
    for (auto& f : fields) iov.push_back({f.data(), f.size()});
    // A journal that refuses the entry (too large, out of buffers): the
    // plain line on stderr, which systemd still reads, rather than nothing.
    // (A journal socket that is not there at all libsystemd ignores.)
    if (sd_journal_sendv(iov.data(), static_cast<int>(iov.size())) < 0) {
      const std::string line = std::string(spdlog::level::to_string_view(msg.level).data(),
                                           spdlog::level::to_string_view(msg.level).size()) +
                               ": " + std::string(msg.payload.data(), msg.payload.size()) + "\n";
      [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
    }
  }
  void flush_() override {}
};

}  // namespace

bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (!stream) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(stream, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (::fstat(STDERR_FILENO, &st) != 0) return false;
  return st.st_dev == dev && st.st_ino == ino;
}

void setup_logging(const std::string& level, const std::string& format) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") throw std::invalid_argument("unknown log level " + level);
  if (format != "json" && format != "text") throw std::invalid_argument("unknown log format " + format);
  std::shared_ptr<spdlog::logger> logger;
  if (stderr_is_journal()) {
    logger = std::make_shared<spdlog::logger>("topo", std::make_shared<JournalSink>());
  } else {
    logger = spdlog::stderr_color_mt("topo");
    if (format == "json")
      logger->set_formatter(std::make_unique<JsonFormatter>());
    else if (::isatty(STDERR_FILENO))
      logger->set_pattern("%^%l%$: %v");
    else
      logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l: %v");
  }
  logger->set_level(lvl);
  spdlog::set_default_logger(logger);
}

}  // namespace topo::cli
