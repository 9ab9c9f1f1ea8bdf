// Values as clients send them and as the service writes them. Entities are kept as JSON objects
// in an internal form: integers as numbers, DateTime as milliseconds since the epoch (or null).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "media/model.h"

namespace twin::media {

using Json = nlohmann::json;

// ISO 8601 (with or without a zone, any fraction), "\/Date(ms)\/", and .NET's "G" format in
// en-US ("6/22/2016 3:04:05 PM"), which the walkthrough sends. Times without a zone are UTC.
std::optional<int64_t> parse_datetime(std::string_view text);
// "2016-06-22T15:04:05.1230000Z"
std::string format_datetime(int64_t ms);

// A request body's value converted to the internal form of the property's type: numbers and
// booleans may arrive as strings. Throws MediaError 400 naming the property.
Json coerce(const Property& property, const Json& value);

// The wire form of one entity: Int64 as strings, DateTime as ISO (minimal) or a date marker
// (verbose, turned into \/Date(ms)\/ by dump_json).
Json wire_entity(const EntitySet& set, const Json& entity, bool verbose);
// JSON text; verbose date markers become "\/Date(ms)\/" exactly as WCF Data Services wrote them.
std::string dump_json(const Json& value);

int64_t now_ms();

}  // namespace twin::media
