// The storage service of one data center: the Blob REST API over HTTP, backed by SQLite and
// data files under the data directory.
#pragma once

#include <memory>
#include <string>

#include "blob/backend.h"
#include "common/config.h"
#include "http/server.h"
#include "store/sqlite.h"

namespace twin::blob {

class CopyEngine;

class BlobService : public http::Handler {
 public:
  // Opens (or creates) <data_dir>/meta.sqlite and <data_dir>/blobs, sweeping files a crash left.
  BlobService(const config::Config& config, store::Database& db);
  ~BlobService() override;

  // Tells the service the address it is reached at (after the port is bound), then starts the
  // copy workers, resuming copies a previous run left pending.
  void start(const std::string& host, uint16_t port);
  void stop();
  const std::string& public_url() const { return backend_->public_url; }
  // The metadata and data files, for services of this process that read blobs directly (the
  // streaming origin sends segment bytes straight from the data files).
  Backend& backend() { return *backend_; }

  uint64_t plan_body(http::Exchange& exchange) override;
  http::Response handle(http::Exchange& exchange) override;
  http::Response error_response(http::Exchange& exchange, unsigned status, const std::string& code,
                                const std::string& message) override;

 private:
  http::Response handle_call(http::Exchange& exchange);
  const config::Config& config_;
  std::unique_ptr<MetaStore> meta_;
  std::unique_ptr<DataFiles> files_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<CopyEngine> copies_;
};

}  // namespace twin::blob
