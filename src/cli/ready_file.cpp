#include "cli/ready_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace twin::cli {

void write_ready_file(const std::string& path, const nlohmann::json& ready) {
  std::string temp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::trunc);
    out << ready.dump(2) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write the ready file " + path);
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) throw std::runtime_error("cannot write the ready file " + path + ": " + ec.message());
}

}  // namespace twin::cli
