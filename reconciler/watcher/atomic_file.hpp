#pragma once
// Replaces a file atomically (write a temporary in the same directory, fsync,
// rename), so a reader (`topo status`, node_exporter) never sees half of it.
// The temporary's name does not end in the target's suffix, so a textfile
// collector globbing *.prom never picks it up.
#include <string>

namespace topo::watcher {

// Throws std::runtime_error naming the file and the errno text.
void write_file_atomically(const std::string& path, const std::string& body, unsigned mode = 0644);

}  // namespace topo::watcher
