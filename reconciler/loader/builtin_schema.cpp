#include "reconciler/loader/builtin_schema.hpp"

// Written by CMake into the build tree (CMakeLists.txt, schema_text.hpp.in).
#include "reconciler/loader/schema_text.hpp"

namespace topo::loader {

std::string_view builtin_schema_text() { return generated::kSchemaText; }

}  // namespace topo::loader
