// The protocol layer's parsing and reading rules, without a server: the
// end-to-end checks through every protocol are in scenarios/protocol_test.cc.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "conformance/harness/exchange_script.h"
#include "conformance/harness/http_protocol.h"
#include "conformance/harness/lines.h"
#include "conformance/harness/protocol.h"

namespace forkcheck {
namespace {

TEST(FindLine, SkipsLinesThatDoNotMatchAndMovesPastTheMatch) {
  RE2 ready("^220 ");
  std::string text = "220-welcome\r\n220-more\r\n220 ready\r\nnext";
  size_t from = 0;
  ASSERT_TRUE(FindLine(text, ready, &from));
  EXPECT_EQ(text.substr(from), "next");
  EXPECT_FALSE(FindLine(text, ready, &from)) << "an unfinished line never matches";
}

TEST(FindLine, NeedsAWholeLine) {
  RE2 banner("^SSH-2\\.0-");
  size_t from = 0;
  EXPECT_FALSE(FindLine("SSH-2.0-dropbear", banner, &from));
  EXPECT_TRUE(FindLine("SSH-2.0-dropbear\r\n", banner, &from));
}

TEST(ParseExchange, ReadsStepsWithEscapesAndComments) {
  std::string error;
  auto steps = ParseExchange("# greeting\n\nexpect ^220 \nsend HELO a\\r\\n\nexpect ^250\n", "f", &error);
  ASSERT_TRUE(steps) << error;
  ASSERT_EQ(steps->size(), 3u);
  EXPECT_EQ((*steps)[0].kind, ExchangeStep::kExpect);
  EXPECT_EQ((*steps)[1].text, "HELO a\r\n");
  EXPECT_EQ((*steps)[2].line, 5);
}

TEST(ParseExchange, NamesTheFileAndLineOfEveryMistake) {
  struct Bad {
    const char* text;
    const char* named;
  };
  for (const Bad& bad : {Bad{"sned x\n", "line 1: unknown step 'sned'"}, Bad{"expect ^a\nexpect (\n", "line 2: invalid regex"},
                         Bad{"send a\\q\n", "line 1: bad escape"}, Bad{"send\n", "line 1: send needs some text"},
                         Bad{"expect\n", "line 1: expect needs a regex"}, Bad{"# only a comment\n", "has no steps"}}) {
    std::string error;
    EXPECT_FALSE(ParseExchange(bad.text, "script.x", &error)) << bad.text;
    EXPECT_NE(error.find("script.x"), std::string::npos) << error;
    EXPECT_NE(error.find(bad.named), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
}

TEST(MakeProtocol, RejectsBadArgumentsWithOneLine) {
  struct Bad {
    ProtocolSpec spec;
    const char* named;
  };
  ProtocolSpec unknown, no_file, bad_banner, bad_path;
  unknown.name = "gopher";
  no_file.name = "exchange:/nonexistent/script";
  bad_banner.name = "banner";
  bad_banner.banner = "(unclosed";
  bad_path.name = "http";
  bad_path.http_path = "index.html";
  for (const Bad& bad : {Bad{unknown, "unknown protocol 'gopher'"}, Bad{no_file, "/nonexistent/script"},
                         Bad{bad_banner, "invalid --banner regex"}, Bad{bad_path, "index.html"}}) {
    std::string error;
    EXPECT_EQ(MakeProtocol(bad.spec, &error), nullptr) << bad.named;
    EXPECT_NE(error.find(bad.named), std::string::npos) << error;
  }
}

TEST(MakeProtocol, SaysWhatEachProtocolProvides) {
  std::string error;
  ProtocolSpec spec;
  EXPECT_TRUE(MakeProtocol(spec, &error)->Provides(Need::kExactEcho));
  spec.name = "http";
  auto http = MakeProtocol(spec, &error);
  EXPECT_FALSE(http->Provides(Need::kExactEcho));
  EXPECT_FALSE(http->Provides(Need::kLargeReply));
  EXPECT_NE(http->Lacks(Need::kLargeReply).find("--http-large-path"), std::string::npos);
  spec.http_large_path = "/big";
  EXPECT_TRUE(MakeProtocol(spec, &error)->Provides(Need::kLargeReply));
  spec.name = "banner";
  EXPECT_FALSE(MakeProtocol(spec, &error)->Provides(Need::kLargeReply));
}

TEST(HttpProtocol, ACompleteReplyHasItsWholeContentLength) {
  HttpProtocol http("/", "/big");
  EXPECT_EQ(http.Complete("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"), "");
  EXPECT_EQ(http.Complete("HTTP/1.0 200 OK\r\ncontent-length: 5\r\n\r\nhel"),
            "got 3 of the 5 body bytes its Content-Length announced");
  EXPECT_EQ(http.Complete("HTTP/1.0 200 OK\r\n\r\nwhatever came until EOF"), "");
  EXPECT_NE(http.Complete("HTTP/1.0 200 OK\r\nContent-Le"), "");
}

}  // namespace
}  // namespace forkcheck
