// The bounded read the loader and `topo import` share: an endless file is
// refused after the bound, a directory is named as one, a missing file says
// why, a small file is read whole.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "reconciler/fsutil/bounded_read.hpp"

namespace topo::fsutil {
namespace {

TEST(BoundedRead, AnEndlessFileIsRefusedPastTheBound) {
  const BoundedRead r = read_bounded("/dev/zero", 100'000);
  EXPECT_TRUE(r.too_large);
  EXPECT_FALSE(r.text);
}

TEST(BoundedRead, ADirectoryIsSaidToBeOne) {
  const BoundedRead r = read_bounded("/", 100);
  EXPECT_FALSE(r.text);
  EXPECT_EQ(r.error, "is a directory");
}

TEST(BoundedRead, AMissingFileSaysWhy) {
  const BoundedRead r = read_bounded("/nonexistent/topo-bounded-read", 100);
  EXPECT_FALSE(r.text);
  EXPECT_NE(r.error.find("cannot open: No such file"), std::string::npos) << r.error;
}

TEST(BoundedRead, ASmallFileIsReadWhole) {
  char name[] = "/tmp/topo-bounded-read.XXXXXX";
  const int fd = ::mkstemp(name);
  ASSERT_GE(fd, 0);
  ::close(fd);
  std::ofstream(name) << "version: 1\n";
  const BoundedRead r = read_bounded(name, 11);
  ::unlink(name);
  ASSERT_TRUE(r.text) << r.error;
  EXPECT_EQ(*r.text, "version: 1\n");
  EXPECT_FALSE(r.too_large) << "exactly the bound is within it";
}

}  // namespace
}  // namespace topo::fsutil
