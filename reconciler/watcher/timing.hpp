#pragma once
// The controller's notion of time: a monotonic clock, passed in explicitly so
// that the scheduling logic is testable without sleeping.
#include <chrono>

namespace topo::watcher {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

}  // namespace topo::watcher
