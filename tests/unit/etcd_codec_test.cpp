// The etcd client's pure parts: base64, the gateway's JSON both ways (fed
// answers as etcd 3.4 sends them), prefix ends and the watch stream splitter.
#include <gtest/gtest.h>

#include "reconciler/cluster/etcd/base64.hpp"
#include "reconciler/cluster/etcd/error.hpp"
#include "reconciler/cluster/etcd/json_codec.hpp"
#include "reconciler/cluster/etcd/json_stream.hpp"
#include "reconciler/cluster/etcd/options.hpp"
#include "reconciler/cluster/etcd/transport.hpp"
#include "reconciler/cluster/etcd/txn.hpp"

namespace topo::etcd {
namespace {

using nlohmann::json;

TEST(EtcdBase64, RoundTripsEveryLengthAndByte) {
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode(""), "");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n < all.size(); n += 37) EXPECT_EQ(base64_decode(base64_encode(all.substr(0, n))), all.substr(0, n));
  EXPECT_FALSE(base64_decode("Zm9"));     // not a multiple of 4
  EXPECT_FALSE(base64_decode("Zm=v"));    // data after padding
  EXPECT_FALSE(base64_decode("Zm9v!A==")); // not in the alphabet
  EXPECT_FALSE(base64_decode("Z==="));
}

TEST(EtcdPrefixEnd, IncrementsTheLastByteBelow0xff) {
  EXPECT_EQ(prefix_end("/topo/"), "/topo0");
  EXPECT_EQ(prefix_end(std::string("a\xff", 2)), "b");
  EXPECT_EQ(prefix_end(""), std::string(1, '\0'));
  EXPECT_EQ(prefix_end(std::string("\xff\xff", 2)), std::string(1, '\0'));
}

TEST(EtcdEndpoints, ParsesTheFlagAndRefusesWhatIsNotAUrl) {
  EXPECT_EQ(parse_endpoints("http://a:2379,https://b:2379/"),
            (std::vector<std::string>{"http://a:2379", "https://b:2379"}));
  EXPECT_THROW(parse_endpoints("a:2379"), std::invalid_argument);
  EXPECT_THROW(parse_endpoints("http://a:2379,,http://b"), std::invalid_argument);
  EXPECT_THROW(parse_endpoints(""), std::invalid_argument);
}

TEST(EtcdCodec, RequestsSpellInt64AsStringsAndBytesAsBase64) {
  EXPECT_EQ(codec::put_request("foo", "bar", 2324035859432044815), json::parse(R"({"key":"Zm9v","value":"YmFy","lease":"2324035859432044815"})"));
  EXPECT_EQ(codec::range_request("a", "b", 7), json::parse(R"({"key":"YQ==","range_end":"Yg==","revision":"7"})"));
  Txn t;
  t.compare = {Compare::create_revision("k", CompareOp::equal, 0)};
  t.success = {TxnOp::put("k", "v")};
  t.failure = {TxnOp::get("k")};
  EXPECT_EQ(codec::txn_request(t), json::parse(R"({
    "compare":[{"key":"aw==","target":"CREATE","result":"EQUAL","create_revision":"0"}],
    "success":[{"request_put":{"key":"aw==","value":"dg=="}}],
    "failure":[{"request_range":{"key":"aw=="}}]})"));
  EXPECT_EQ(codec::watch_create_request("p", "q", 5, true, false),
            json::parse(R"({"create_request":{"key":"cA==","range_end":"cQ==","start_revision":"5","prev_kv":true}})"));
}

TEST(EtcdCodec, DecodesEtcd34AnswersWithTheirZeroValuesLeftOut) {
  // As etcd 3.4.23 answered a range: count and revisions as strings.
  json range = json::parse(R"({"header":{"cluster_id":"3249","member_id":"3319","revision":"10","raft_term":"2"},
    "kvs":[{"key":"dA==","create_revision":"10","mod_revision":"10","version":"1"}],"count":"1"})");
  RangeResult r = codec::range_result(range, "get");
  EXPECT_EQ(r.revision, 10);
  ASSERT_EQ(r.kvs.size(), 1u);
  EXPECT_EQ(r.kvs[0].key, "t");
  EXPECT_EQ(r.kvs[0].value, "") << "no \"value\": empty";
  EXPECT_EQ(r.count, 1);
  // Nothing found: no kvs and no count at all.
  RangeResult none = codec::range_result(json::parse(R"({"header":{"revision":"2"}})"), "get");
  EXPECT_TRUE(none.kvs.empty());
  EXPECT_EQ(none.count, 0);
  // A failed transaction has no "succeeded".
  TxnResult lost = codec::txn_result(json::parse(R"({"header":{"revision":"9"},
    "responses":[{"response_range":{"header":{"revision":"9"}}},{"response_delete_range":{"header":{"revision":"9"}}}]})"),
                                     "txn");
  EXPECT_FALSE(lost.succeeded);
  ASSERT_EQ(lost.responses.size(), 2u);
  EXPECT_EQ(lost.responses[1].kind, TxnOp::Kind::erase);
  EXPECT_THROW(codec::range_result(json::parse(R"({"header":{"revision":"x"}})"), "get"), EtcdError);
  EXPECT_THROW(codec::range_result(json::parse(R"({"kvs":[{"key":"!!"}]})"), "get"), EtcdError);
}

TEST(EtcdCodec, ErrorAnswersBecomeRefusedOrUnreachable) {
  try {
    interpret_answer("lease revoke", 404, R"({"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5})");
    FAIL();
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_EQ(e.grpc_code(), 5);
    EXPECT_EQ(e.detail(), "etcdserver: requested lease not found");
  }
  try {
    interpret_answer("put", 503, R"({"error":"etcdserver: no leader","message":"etcdserver: no leader","code":14})");
    FAIL();
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unreachable) << "no leader: the cluster cannot serve";
  }
  try {
    interpret_answer("get", 400, R"({"error":"etcdserver: mvcc: required revision has been compacted","code":11})");
    FAIL();
  } catch (const EtcdError& e) {
    EXPECT_TRUE(e.compacted());
  }
  try {
    interpret_answer("get", 404, "Not Found\n");
    FAIL();
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::refused);
    EXPECT_EQ(e.detail(), "HTTP 404: Not Found");
  }
  try {  // a stream's error, as a watch gets it when its member shuts down
    interpret_answer("watch", 200,
                     R"({"error":{"grpc_code":14,"http_code":503,"message":"transport is closing","http_status":"Service Unavailable"}})");
    FAIL();
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unreachable);
    EXPECT_EQ(e.grpc_code(), 14);
    EXPECT_EQ(e.http_status(), 503);
    EXPECT_EQ(e.detail(), "transport is closing");
  }
  try {  // the same shutdown, when the gateway's own connection to etcd went first
    interpret_answer("watch", 200,
                     R"({"error":{"grpc_code":1,"http_code":408,"message":"grpc: the client connection is closing"}})");
    FAIL();
  } catch (const EtcdError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unreachable);
  }
  EXPECT_THROW(interpret_answer("get", 200, "<html>"), EtcdError);
  // A stream message is unwrapped.
  EXPECT_EQ(interpret_answer("keepalive", 200, R"({"result":{"ID":"1","TTL":"2"}})"), json::parse(R"({"ID":"1","TTL":"2"})"));
}

TEST(EtcdJsonStream, SplitsObjectsWhateverTheChunks) {
  const std::string text =
      R"({"result":{"created":true}})"
      "\n"
      R"({"result":{"events":[{"kv":{"key":"e30=","value":"In0i"}}],"s":"brace } in \" string {"}})"
      "\n";
  for (size_t chunk = 1; chunk <= text.size(); ++chunk) {
    JsonObjectStream s;
    std::vector<std::string> got;
    for (size_t i = 0; i < text.size(); i += chunk)
      for (auto& o : s.feed(std::string_view(text).substr(i, chunk))) got.push_back(o);
    ASSERT_EQ(got.size(), 2u) << "chunk " << chunk;
    EXPECT_EQ(json::parse(got[1])["result"]["s"], "brace } in \" string {");
    EXPECT_FALSE(s.partial());
  }
  JsonObjectStream bad;
  EXPECT_THROW(bad.feed("x{}"), std::runtime_error);
  JsonObjectStream cut;
  cut.feed(R"({"result":{)");
  EXPECT_TRUE(cut.partial());
}

}  // namespace
}  // namespace topo::etcd
