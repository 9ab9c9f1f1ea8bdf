#include "dashboard/embedded_files.h"

namespace twin::dashboard {

const EmbeddedFile* find_embedded(std::string_view path) {
  if (path == "/dashboard/" || path == "/dashboard") path = "/dashboard/index.html";
  for (const auto& file : embedded_files())
    if (file.path == path) return &file;
  return nullptr;
}

}  // namespace twin::dashboard
