#pragma once
// Where logs go and how they look. Logs go to stderr, so stdout stays the
// command's output (plans, JSON):
// - under journald (stderr is the journal stream systemd named in
//   JOURNAL_STREAM): native journal entries, the fields of log_fields.hpp as
//   TOPO_ACTION, TOPO_OBJECT, ... so `journalctl -o json` keeps each apart;
// - `--log-format json`: one JSON object per line, the fields as members;
// - text: "level: message", with a timestamp in front only off a terminal
//   (a file or a pipe keeps no time of its own; a terminal and the journal do).
#include <string>

namespace topo::cli {

// Throws std::invalid_argument on an unknown level or format.
void setup_logging(const std::string& level, const std::string& format);

// Whether stderr is the journal stream JOURNAL_STREAM ("DEV:INODE") names.
bool stderr_is_journal();

}  // namespace topo::cli
