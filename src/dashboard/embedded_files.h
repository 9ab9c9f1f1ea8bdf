// The dashboard's files, built into the binary (cmake/embed.cmake): the page, its script and
// style, and the players it plays with (hls.js, dash.js, shaka-player, pinned in web/package.json),
// so that the page needs no file at run time and nothing from the internet.
#pragma once

#include <span>
#include <string_view>

namespace twin::dashboard {

struct EmbeddedFile {
  std::string_view path;          // "/dashboard/index.html"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view etag;          // strong, from the file's SHA-256: "\"3a…\""
  std::string_view body;
};

std::span<const EmbeddedFile> embedded_files();
// The file at this URL path; "/dashboard/" is its index.html. Null when there is none.
const EmbeddedFile* find_embedded(std::string_view path);

}  // namespace twin::dashboard
