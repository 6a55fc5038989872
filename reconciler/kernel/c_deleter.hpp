#pragma once
// The one deleter behind every owner of a C library handle (libnl in
// nl_handles.hpp, libnftnl/libmnl in firewall/nft_handles.hpp): stateless,
// so a std::unique_ptr<T, Deleter<free_fn>> costs no more than the pointer.
namespace topo {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept { Free(p); }
};

}  // namespace topo
