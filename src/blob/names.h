// Naming rules of the Blob service: containers, blobs, metadata and block ids.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace twin::blob::names {

// 3-63 characters of [a-z0-9-], starting with a letter or digit, no "--", not ending in '-'.
// "$root" is accepted too. Returns an error reason, or nullopt when valid.
std::optional<std::string> container_problem(std::string_view name);
// 1-1024 characters, valid UTF-8 without control characters other than tab.
std::optional<std::string> blob_problem(std::string_view name);
// The name the service stores: a backslash is a path separator too, so "a\\b" is "a/b".
std::string normalized_blob(std::string name);
// A C# identifier, as x-ms-meta-<name> requires.
bool valid_metadata_name(std::string_view name);
// Base64 of at most 64 bytes.
bool valid_block_id(std::string_view id);

}  // namespace twin::blob::names
