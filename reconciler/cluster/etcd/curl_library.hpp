#pragma once
// libcurl, loaded the first time cluster mode needs it (its stable soname,
// libcurl.so.4) instead of linked into topo: linked, its TLS, Kerberos, LDAP,
// SSH and RTMP dependencies were mapped and relocated at the start of every
// command, about 12 ms, half of a small plan's time, for the one option
// (--etcd) that uses it. Its headers are used as usual; its calls go
// through curl().
#include <curl/curl.h>

namespace topo::etcd {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_reset) easy_reset;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_wakeup) multi_wakeup;
  decltype(&::curl_multi_strerror) multi_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// Loaded once per process, thread-safe; throws std::runtime_error naming
// the library and what is missing when it cannot be loaded.
const CurlLibrary& curl();

}  // namespace topo::etcd
