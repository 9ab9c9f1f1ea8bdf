// The machine-readable announcement that a process listens: its endpoints as JSON, written to a
// temporary name and renamed, so a reader (a test, the demo, a supervisor) sees the whole file
// or none of it, and never parses human output.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace twin::cli {

// Throws std::runtime_error naming the path when it cannot be written.
void write_ready_file(const std::string& path, const nlohmann::json& ready);

}  // namespace twin::cli
