#include "reconciler/cli/progress_line.hpp"

#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "reconciler/output/progress_text.hpp"

namespace topo::cli {
namespace {

constexpr auto kQuietFor = std::chrono::seconds(1);
constexpr auto kRedrawEvery = std::chrono::milliseconds(200);

std::size_t terminal_width() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

void write_all(const std::string& text) {
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;  // a terminal that went away: the line is not worth an error
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

}  // namespace

bool ProgressLine::wanted() {
  const char* term = std::getenv("TERM");
  // With --log-level debug every action is a log line on stderr: the
  // progress line would be drawn into the middle of them.
  return ::isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0) &&
         !spdlog::default_logger_raw()->should_log(spdlog::level::debug);
}

ProgressLine::ProgressLine(std::string verb) : verb_(std::move(verb)), enabled_(wanted()) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::start(std::size_t n) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (started_once_ || stopping_) return;
  started_once_ = true;
  total_ = n;
  started_ = std::chrono::steady_clock::now();
  if (enabled_) thread_ = std::thread([this] { run(); });
}

void ProgressLine::working_on(const std::string& current) {
  std::lock_guard<std::mutex> lock(mutex_);
  current_ = current;
}

void ProgressLine::done_one(const std::string& last) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (!last.empty()) current_ = last;
}

void ProgressLine::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (drawn_) write_all("\r\033[K");
}

void ProgressLine::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (wake_.wait_until(lock, started_ + kQuietFor, [this] { return stopping_; })) return;
  while (!stopping_) {
    draw_locked();
    wake_.wait_for(lock, kRedrawEvery, [this] { return stopping_; });
  }
}

void ProgressLine::draw_locked() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  write_all("\r\033[K" + format_progress(verb_, done_, total_, elapsed, current_, terminal_width()));
  drawn_ = true;
}

}  // namespace topo::cli
