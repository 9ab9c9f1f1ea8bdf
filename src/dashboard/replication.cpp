#include "dashboard/replication.h"

#include <iterator>

namespace twin::dashboard {
namespace {

const LocatorView* origin_locator(const AssetView& asset) {
  for (const auto& l : asset.locators)
    if (l.type == 2) return &l;
  return nullptr;
}

// The first difference between two copies of an asset, or empty.
std::string difference(const AssetView& a, const AssetView& b, const std::string& locator_id) {
  auto files = [](const AssetView& asset) {
    std::map<std::string, int64_t> sizes;
    for (const auto& f : asset.files) sizes[f.name] = f.size;
    return sizes;
  };
  auto fa = files(a), fb = files(b);
  for (const auto& [name, size] : fa) {
    auto other = fb.find(name);
    if (other == fb.end()) return "file " + name + " is missing";
    if (other->second != size)
      return "file " + name + ": " + std::to_string(size) + " and " +
             std::to_string(other->second) + " bytes";
  }
  for (const auto& [name, size] : fb)
    if (!fa.count(name)) return "file " + name + " is extra";
  auto expiry = [&](const AssetView& asset) {
    for (const auto& l : asset.locators)
      if (l.id == locator_id) return l.expiry_ms;
    return int64_t(0);
  };
  if (expiry(a) != expiry(b)) return "locator " + locator_id + " expires at different times";
  return {};
}

void judge(AssetRow& row) {
  if (row.assets.size() < 2) {
    row.replication = Replication::only_in_one;
    row.detail = "only in " + row.assets.begin()->first;
    return;
  }
  auto first = row.assets.begin();
  for (auto it = std::next(first); it != row.assets.end(); ++it) {
    std::string diff = difference(first->second, it->second, row.locator_id);
    if (!diff.empty()) {
      row.replication = Replication::differs;
      row.detail = first->first + " and " + it->first + " differ: " + diff;
      return;
    }
  }
  row.replication = Replication::in_both;
  row.detail = row.assets.size() == 2 ? "in both"
                                      : "in " + std::to_string(row.assets.size()) + " data centers";
}

}  // namespace

std::vector<AssetRow> asset_rows(const std::vector<DataCenterSnapshot>& snapshots) {
  std::vector<AssetRow> rows;
  std::map<std::string, size_t> by_locator;
  for (const auto& dc : snapshots) {
    for (const auto& asset : dc.assets) {
      const LocatorView* locator = origin_locator(asset);
      if (locator) {
        auto known = by_locator.find(locator->id);
        if (known != by_locator.end() && !rows[known->second].assets.count(dc.name)) {
          rows[known->second].assets[dc.name] = asset;
          continue;
        }
      }
      AssetRow row;
      row.locator_id = locator ? locator->id : "";
      row.assets[dc.name] = asset;
      if (locator) by_locator.emplace(locator->id, rows.size());
      rows.push_back(std::move(row));
    }
  }
  for (auto& row : rows) judge(row);
  return rows;
}

std::string fingerprint(const AssetRow& row, const std::string& source, const std::string& target) {
  std::string out;
  for (const std::string& dc : {source, target}) {
    auto it = row.assets.find(dc);
    if (it == row.assets.end()) continue;
    const AssetView& asset = it->second;
    out += dc + "=" + asset.id + ";";
    std::map<std::string, int64_t> sizes;  // in name order, whatever order the API listed them
    for (const auto& f : asset.files) sizes[f.name] = f.size;
    for (const auto& [name, size] : sizes) out += name + ":" + std::to_string(size) + ",";
    for (const auto& l : asset.locators)
      if (l.id == row.locator_id) out += "expiry:" + std::to_string(l.expiry_ms);
    out += "\n";
  }
  return out;
}

std::string to_string(Replication replication) {
  switch (replication) {
    case Replication::only_in_one:
      return "only-in-one";
    case Replication::in_both:
      return "in-both";
    case Replication::differs:
      return "differs";
  }
  return "unknown";
}

}  // namespace twin::dashboard
