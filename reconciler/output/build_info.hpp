#pragma once
// Which topo this is: the project's version (CMakeLists.txt `project`) and the
// git commit it was built from ("unknown" outside a git checkout, "-dirty"
// appended when tracked files were edited). For `topo --version`, the
// `topo_build_info` metric and bug reports. The definitions are generated at
// every build (cmake/build_info.cmake).
#include <string_view>

namespace topo {

std::string_view build_version();
std::string_view build_commit();

}  // namespace topo
