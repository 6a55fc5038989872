#include "reconciler/cluster/etcd/curl_library.hpp"

#include "reconciler/process/shared_library.hpp"

namespace topo::etcd {
namespace {

CurlLibrary load() {
  const process::SharedLibrary lib("libcurl.so.4", "libcurl", "cluster mode", "libcurl4", "7.68");
  CurlLibrary c{};
  lib.bind(c.global_init, "curl_global_init");
  lib.bind(c.easy_init, "curl_easy_init");
  lib.bind(c.easy_cleanup, "curl_easy_cleanup");
  lib.bind(c.easy_reset, "curl_easy_reset");
  lib.bind(c.easy_setopt, "curl_easy_setopt");
  lib.bind(c.easy_perform, "curl_easy_perform");
  lib.bind(c.easy_getinfo, "curl_easy_getinfo");
  lib.bind(c.easy_strerror, "curl_easy_strerror");
  lib.bind(c.multi_init, "curl_multi_init");
  lib.bind(c.multi_cleanup, "curl_multi_cleanup");
  lib.bind(c.multi_add_handle, "curl_multi_add_handle");
  lib.bind(c.multi_remove_handle, "curl_multi_remove_handle");
  lib.bind(c.multi_perform, "curl_multi_perform");
  lib.bind(c.multi_info_read, "curl_multi_info_read");
  lib.bind(c.multi_poll, "curl_multi_poll");
  lib.bind(c.multi_wakeup, "curl_multi_wakeup");
  lib.bind(c.multi_strerror, "curl_multi_strerror");
  lib.bind(c.slist_append, "curl_slist_append");
  lib.bind(c.slist_free_all, "curl_slist_free_all");
  return c;
}

}  // namespace

const CurlLibrary& curl() {
  static const CurlLibrary library = load();  // a failed load throws and is tried again next time
  return library;
}

}  // namespace topo::etcd
