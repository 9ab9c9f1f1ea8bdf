// Media Services entities in SQLite: one row per entity with its JSON body (internal form),
// the owning media account, the kind (entity set name) and a parent key for navigation
// (a file's asset, a task's job, a locator's asset). Ids are unique per kind across accounts,
// which is what makes a locator Id taken by another account detectable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "media/odata_value.h"
#include "store/sqlite.h"

namespace twin::media {

struct StoredEntity {
  std::string account;
  Json body;
};

class EntityStore {
 public:
  explicit EntityStore(store::Database& db);

  std::optional<Json> get(const std::string& account, const std::string& kind,
                          const std::string& id);
  // Any account's entity of that kind and id.
  std::optional<StoredEntity> find(const std::string& kind, const std::string& id);
  std::vector<Json> list(const std::string& account, const std::string& kind);  // creation order
  std::vector<Json> children(const std::string& account, const std::string& kind,
                             const std::string& parent);
  std::vector<StoredEntity> all_accounts(const std::string& kind);
  // False when an entity of that kind and id exists (in any account).
  bool insert(const std::string& account, const std::string& kind, const std::string& parent,
              const Json& body);
  void update(const std::string& account, const std::string& kind, const Json& body);
  void remove(const std::string& account, const std::string& kind, const std::string& id);

  store::Database& db() { return db_; }

 private:
  std::vector<Json> bodies(store::Statement& st);
  store::Database& db_;
};

}  // namespace twin::media
