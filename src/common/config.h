// The configuration of one data center process: TOML file, then command-line overrides.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/steering_config.h"

namespace twin::config {

struct Account {
  std::string name;
  std::vector<std::string> keys;  // base64, one or two
};

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};

struct HttpLimits {
  uint32_t max_header_bytes = 16 * 1024;
  uint64_t max_small_body_bytes = 4 * 1024 * 1024;
  uint32_t idle_timeout_seconds = 60;
  uint32_t shutdown_grace_seconds = 10;
};

struct Storage {
  bool enabled = true;
  Endpoint listen{"127.0.0.1", 10000};
  std::string public_url;  // empty: http://<listen>
  std::vector<Account> accounts;
  uint32_t copy_workers = 4;
  // Re-hash the bytes of a copy and fail it when they differ from the source's Content-MD5.
  // Off, as in Azure, the copy inherits the source's Content-MD5 (hashing cost 2.7x the copy's
  // CPU, measured); a source without one is hashed either way.
  bool copy_verify_md5 = false;
  bool fsync = true;
};

struct MediaAccount {
  std::string name;
  std::string key;              // base64; also the OAuth client_secret
  std::string storage_account;  // empty: the first storage account
};

struct Media {
  bool enabled = true;
  Endpoint listen{"127.0.0.1", 8700};
  std::string public_url;      // empty: http://<listen>
  std::string streaming_base;  // empty: http://<streaming listen> of this process
  std::string storage_url;     // empty: this process's storage service
  std::vector<MediaAccount> accounts;
  uint32_t token_lifetime_seconds = 6 * 3600;
  // 0: one worker per 8 cores (at least one). An encode runs a thread per layer (libx264 with VBV
  // is only repeatable on one thread), so more cores are used by encoding several jobs at once.
  uint32_t job_workers = 0;
  std::string x264_preset = "medium";
  // libx264 threads per layer: 1 keeps encodes byte-repeatable (see encode::EncodeRequest).
  uint32_t x264_threads = 1;
};

struct Streaming {
  bool enabled = true;
  Endpoint listen{"127.0.0.1", 8800};
  Steering steering;  // off (no pathways) unless [streaming.steering] is given
};

struct Config {
  std::string data_dir = "./data";
  uint32_t threads = 0;  // 0: a sensible default from the core count
  HttpLimits http;
  Storage storage;
  Media media;
  Streaming streaming;
};

inline constexpr const char* kDevAccount = "devstoreaccount1";
inline constexpr const char* kDevKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

inline constexpr const char* kDevMediaAccount = "devmediaaccount1";
inline constexpr const char* kDevMediaKey = "dHdpbm9yaWdpbiBkZXZlbG9wbWVudCBtZWRpYSBrZXkgMDAwMQ==";

// The embedded development default: storage on 127.0.0.1:10000 with devstoreaccount1, the
// media API on 127.0.0.1:8700 with devmediaaccount1 bound to it.
Config development_default();

// Throws std::runtime_error naming the file, line and problem.
Config load_file(const std::string& path);

// "host:port" → Endpoint; throws std::invalid_argument on a malformed value.
Endpoint parse_endpoint(const std::string& text);
// "name:key[:key2]" → Account; throws std::invalid_argument.
Account parse_account(const std::string& text);
// "name:key[:storage_account]" → MediaAccount; throws std::invalid_argument.
MediaAccount parse_media_account(const std::string& text);

}  // namespace twin::config
