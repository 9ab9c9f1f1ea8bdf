#include "http/file_hasher.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "common/crypto.h"
#include "http/file.h"

namespace twin::http {

TEST(FileHasher, HashesWhileTheFileGrows) {
  std::string path = testing::TempDir() + "/hasher-" + std::to_string(::getpid());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  std::string all;
  {
    FileHasher hasher(fd);
    for (int i = 0; i < 50; ++i) {
      std::string chunk = crypto::random_bytes(static_cast<size_t>(1000 + i * 997));
      ASSERT_TRUE(write_all(fd, chunk.data(), chunk.size()));
      all += chunk;
      hasher.advance(all.size());
    }
    EXPECT_EQ(hasher.finish(all.size()), crypto::md5(all));
  }
  ::close(fd);
  ::unlink(path.c_str());
}

TEST(FileHasher, EmptyFileAndEarlyDestruction) {
  std::string path = testing::TempDir() + "/hasher-empty-" + std::to_string(::getpid());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  {
    FileHasher hasher(fd);
    EXPECT_EQ(hasher.finish(0), crypto::md5(""));
  }
  { FileHasher abandoned(fd); }  // destroyed without finish: must not hang
  ::close(fd);
  ::unlink(path.c_str());
}

TEST(FileHasher, ReportsAFileShorterThanPromised) {
  std::string path = testing::TempDir() + "/hasher-short-" + std::to_string(::getpid());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(write_all(fd, "abc", 3));
  FileHasher hasher(fd);
  EXPECT_THROW(hasher.finish(10), std::runtime_error);
  ::close(fd);
  ::unlink(path.c_str());
}

}  // namespace twin::http
