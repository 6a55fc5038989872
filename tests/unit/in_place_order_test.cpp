// apply_order: a new order for a large array without a second one.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "reconciler/resources/in_place_order.hpp"

namespace topo {
namespace {

// Every permutation of six elements (one cycle, many, fixed points, the
// identity) gives what a copy into a second array gives.
TEST(InPlaceOrder, EveryPermutationOfSixMatchesACopy) {
  std::vector<std::size_t> from(6);
  std::iota(from.begin(), from.end(), std::size_t{0});
  int permutations = 0;
  do {
    std::vector<std::string> v{"a", "b", "c", "d", "e", "f"};
    std::vector<std::string> expected;
    for (std::size_t i : from) expected.push_back(v[i]);
    apply_order(v, from);
    EXPECT_EQ(v, expected);
    ++permutations;
  } while (std::next_permutation(from.begin(), from.end()));
  EXPECT_EQ(permutations, 720);
}

TEST(InPlaceOrder, EmptyAndSingle) {
  std::vector<std::string> none;
  apply_order(none, {});
  EXPECT_TRUE(none.empty());
  std::vector<std::string> one{"x"};
  apply_order(one, {0});
  EXPECT_EQ(one, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace topo
