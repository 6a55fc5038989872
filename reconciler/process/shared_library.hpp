#pragma once
// A shared library loaded by its soname the first time a command needs it,
// instead of linked: a linked library's start-up (mapping, relocation,
// constructors) is paid by every command, even those that never call it.
// Never closed (the libraries keep process-wide state). The function tables
// stay with their users (cluster/etcd/curl_library.hpp, graph/gvc_library.hpp).
// Header only: the etcd client uses it and links nothing of topo's core.
#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace topo::process {

class SharedLibrary {
 public:
  // `what` names the library for messages ("libcurl", "Graphviz"), `feature`
  // what needs it, `package` the Debian package that has it, `version` the
  // oldest release with every function bound. Throws std::runtime_error:
  // "<feature> needs <what> (<soname>, Debian's package <package>): <why>".
  SharedLibrary(const char* soname, const std::string& what, const std::string& feature, const std::string& package,
                std::string version)
      : handle_(::dlopen(soname, RTLD_NOW | RTLD_LOCAL)), soname_(soname), what_(what), version_(std::move(version)) {
    if (!handle_) {
      const char* why = ::dlerror();
      throw std::runtime_error(feature + " needs " + what + " (" + soname + ", Debian's package " + package +
                               "): " + (why ? why : "not found"));
    }
  }

  // fn = the library's function `name`; throws "<soname> has no <name>;
  // <what> <version> or later is needed" when it has none.
  template <typename Fn>
  void bind(Fn& fn, const char* name) const {
    fn = reinterpret_cast<Fn>(symbol(name));
  }

 private:
  void* symbol(const char* name) const {
    void* sym = ::dlsym(handle_, name);
    if (!sym) throw std::runtime_error(soname_ + " has no " + name + "; " + what_ + " " + version_ + " or later is needed");
    return sym;
  }
  void* handle_;
  std::string soname_, what_, version_;
};

}  // namespace topo::process
