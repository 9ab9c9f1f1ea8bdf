// The Blob service's tables in SQLite. Every change that makes bytes visible is one transaction;
// the data files it drops are returned to the caller, who unlinks them after the commit.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blob/records.h"
#include "store/sqlite.h"

namespace twin::blob {

struct ListPage {
  std::vector<BlobRecord> blobs;
  std::vector<std::string> prefixes;
  std::string next_marker;
};

class MetaStore {
 public:
  explicit MetaStore(store::Database& db);

  // Containers
  bool create_container(const ContainerRecord& c);  // false when it exists
  std::optional<ContainerRecord> container(const std::string& account, const std::string& name);
  std::vector<ContainerRecord> list_containers(const std::string& account,
                                               const std::string& prefix, const std::string& marker,
                                               size_t limit);
  void set_container_metadata(int64_t id, const Metadata& metadata, const std::string& etag,
                              timefmt::Instant now);
  void set_container_acl(int64_t id, const std::string& public_access,
                         const std::vector<AccessPolicy>& acl, const std::string& etag,
                         timefmt::Instant now);
  // Returns the data files no longer referenced.
  std::vector<std::string> delete_container(int64_t id);

  // An account's Blob service CORS rules, as the <Cors> element Set Blob Service Properties sent
  // ("<Cors />" when none).
  std::string service_cors(const std::string& account);
  void set_service_cors(const std::string& account, const std::string& cors_xml);

  // Blobs
  std::optional<BlobRecord> blob(int64_t container_id, const std::string& name,
                                 bool with_extents = false);
  std::optional<BlobRecord> blob_by_id(int64_t id);
  // with_uncommitted also lists names that have only staged blocks (size 0, no properties).
  ListPage list_blobs(int64_t container_id, const std::string& prefix, const std::string& delimiter,
                      const std::string& marker, size_t limit, bool with_uncommitted = false);
  // Inserts or replaces the blob (keeping its creation time) with these extents; drops the
  // blob's uncommitted blocks when drop_blocks. Returns the files no longer referenced.
  std::vector<std::string> put_blob(BlobRecord& blob, bool drop_blocks);
  void update_blob_properties(const BlobRecord& blob);  // content, metadata, etag, time
  std::vector<std::string> delete_blob(int64_t blob_id);
  void set_copy_state(int64_t blob_id, const CopyState& copy);

  // Uncommitted blocks. put_block returns the file it replaced, if any, when unreferenced.
  std::vector<std::string> put_block(int64_t container_id, const std::string& blob_name,
                                     const BlockRecord& block);
  std::vector<BlockRecord> uncommitted_blocks(int64_t container_id, const std::string& blob_name);
  std::vector<std::string> drop_uncommitted_blocks(int64_t container_id,
                                                   const std::string& blob_name);

  // Pending copies, for recovery after a restart.
  struct PendingCopy {
    int64_t blob_id;
    CopyState copy;
  };
  std::vector<PendingCopy> pending_copies();
  // Every data file any row references (for the start-up sweep).
  std::vector<std::string> referenced_files();

  store::Database& db() { return db_; }

 private:
  std::vector<std::string> unreferenced(const std::vector<std::string>& candidates);
  std::vector<Extent> extents(int64_t blob_id);
  void write_extents(int64_t blob_id, const std::vector<Extent>& extents);

  store::Database& db_;
};

}  // namespace twin::blob
