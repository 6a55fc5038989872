#include "reconciler/cluster/etcd/curl_library.hpp"

#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <type_traits>

namespace topo::etcd {
namespace {

constexpr const char* kSoname = "libcurl.so.4";

CurlLibrary load() {
  // Never closed: handles and libcurl's global state live until the process ends.
  void* lib = ::dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = ::dlerror();
    throw std::runtime_error(std::string("cluster mode needs libcurl (") + kSoname +
                             ", Debian's package libcurl4): " + (why ? why : "not found"));
  }
  CurlLibrary c{};
  auto bind = [&](auto& fn, const char* name) {
    void* sym = ::dlsym(lib, name);
    if (!sym) throw std::runtime_error(std::string(kSoname) + " has no " + name + "; libcurl 7.68 or later is needed");
    fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(sym);
  };
  bind(c.global_init, "curl_global_init");
  bind(c.easy_init, "curl_easy_init");
  bind(c.easy_cleanup, "curl_easy_cleanup");
  bind(c.easy_reset, "curl_easy_reset");
  bind(c.easy_setopt, "curl_easy_setopt");
  bind(c.easy_perform, "curl_easy_perform");
  bind(c.easy_getinfo, "curl_easy_getinfo");
  bind(c.easy_strerror, "curl_easy_strerror");
  bind(c.multi_init, "curl_multi_init");
  bind(c.multi_cleanup, "curl_multi_cleanup");
  bind(c.multi_add_handle, "curl_multi_add_handle");
  bind(c.multi_remove_handle, "curl_multi_remove_handle");
  bind(c.multi_perform, "curl_multi_perform");
  bind(c.multi_info_read, "curl_multi_info_read");
  bind(c.multi_poll, "curl_multi_poll");
  bind(c.multi_wakeup, "curl_multi_wakeup");
  bind(c.multi_strerror, "curl_multi_strerror");
  bind(c.slist_append, "curl_slist_append");
  bind(c.slist_free_all, "curl_slist_free_all");
  return c;
}

}  // namespace

const CurlLibrary& curl() {
  static const CurlLibrary library = load();  // a failed load throws and is tried again next time
  return library;
}

}  // namespace topo::etcd
