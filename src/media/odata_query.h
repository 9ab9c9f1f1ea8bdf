// OData v3 system query options for collections: $filter (comparisons, and/or/not, the string
// functions clients use), $orderby, $top, $skip, $select and $inlinecount.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/target.h"
#include "media/odata_value.h"

namespace twin::media {

struct FilterNode;

class Filter {
 public:
  // Throws MediaError 400 with the position and cause of a syntax error or unknown property.
  Filter(std::string_view text, const EntitySet& set);
  ~Filter();
  Filter(Filter&&) noexcept;
  bool matches(const Json& entity) const;

 private:
  std::unique_ptr<FilterNode> root_;
};

struct Query {
  std::optional<Filter> filter;
  std::vector<std::pair<std::string, bool>> order_by;  // property, descending
  size_t top = 1000, skip = 0;
  std::vector<std::string> select;  // empty: every property
  bool inline_count = false;
};

constexpr size_t kMaxPageSize = 1000;

// Throws MediaError 400 for a malformed option or an unknown property.
Query parse_query(const http::Target& target, const EntitySet& set);

struct QueryResult {
  std::vector<Json> entities;
  size_t total = 0;  // before $top/$skip, for $inlinecount
};
QueryResult apply_query(const Query& query, std::vector<Json> entities);

}  // namespace twin::media
