#include "media/entity_store.h"

namespace twin::media {

EntityStore::EntityStore(store::Database& db) : db_(db) {
  auto lock = db_.lock();
  db_.exec(
      "CREATE TABLE IF NOT EXISTS media_entities ("
      " seq INTEGER PRIMARY KEY, account TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,"
      " parent TEXT, body TEXT NOT NULL, UNIQUE (kind, id));"
      "CREATE INDEX IF NOT EXISTS media_entities_by_parent"
      " ON media_entities (account, kind, parent);");
}

std::vector<Json> EntityStore::bodies(store::Statement& st) {
  std::vector<Json> out;
  while (st.step()) out.push_back(Json::parse(st.column_text(0)));
  return out;
}

std::optional<Json> EntityStore::get(const std::string& account, const std::string& kind,
                                     const std::string& id) {
  auto& st = db_.prepare_read(
      "SELECT body FROM media_entities WHERE kind = ?1 AND id = ?2 AND account = ?3");
  st.bind_all(kind, id, account);
  auto found = bodies(st);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<StoredEntity> EntityStore::find(const std::string& kind, const std::string& id) {
  auto& st =
      db_.prepare_read("SELECT body, account FROM media_entities WHERE kind = ?1 AND id = ?2");
  st.bind_all(kind, id);
  std::optional<StoredEntity> out;
  while (st.step()) out = StoredEntity{st.column_text(1), Json::parse(st.column_text(0))};
  return out;
}

std::vector<Json> EntityStore::list(const std::string& account, const std::string& kind) {
  auto& st = db_.prepare_read(
      "SELECT body FROM media_entities WHERE account = ?1 AND kind = ?2 ORDER BY seq");
  st.bind_all(account, kind);
  return bodies(st);
}

std::vector<Json> EntityStore::children(const std::string& account, const std::string& kind,
                                        const std::string& parent) {
  auto& st = db_.prepare_read(
      "SELECT body FROM media_entities WHERE account = ?1 AND kind = ?2 AND parent = ?3"
      " ORDER BY seq");
  st.bind_all(account, kind, parent);
  return bodies(st);
}

std::vector<StoredEntity> EntityStore::all_accounts(const std::string& kind) {
  auto& st =
      db_.prepare_read("SELECT body, account FROM media_entities WHERE kind = ?1 ORDER BY seq");
  st.bind_all(kind);
  std::vector<StoredEntity> out;
  while (st.step()) out.push_back({st.column_text(1), Json::parse(st.column_text(0))});
  return out;
}

bool EntityStore::insert(const std::string& account, const std::string& kind,
                         const std::string& parent, const Json& body) {
  auto lock = db_.lock();
  auto& st = db_.prepare(
      "INSERT OR IGNORE INTO media_entities (account, kind, id, parent, body)"
      " VALUES (?1, ?2, ?3, ?4, ?5)");
  st.bind_all(account, kind, body.at("Id").get<std::string>(), parent, body.dump());
  st.run();
  return db_.changes() == 1;
}

void EntityStore::update(const std::string& account, const std::string& kind, const Json& body) {
  auto lock = db_.lock();
  auto& st = db_.prepare(
      "UPDATE media_entities SET body = ?1 WHERE kind = ?2 AND id = ?3 AND account = ?4");
  st.bind_all(body.dump(), kind, body.at("Id").get<std::string>(), account);
  st.run();
}

void EntityStore::remove(const std::string& account, const std::string& kind,
                         const std::string& id) {
  auto lock = db_.lock();
  auto& st = db_.prepare("DELETE FROM media_entities WHERE kind = ?1 AND id = ?2 AND account = ?3");
  st.bind_all(kind, id, account);
  st.run();
}

}  // namespace twin::media
